/**
 * QBO error vocabulary. Codes and Messages come from PROVIDERS.md 2.6 and Intuit's error-code table
 * (developer.intuit.com .../troubleshooting/error-codes, blog "Top QuickBooks Online API Errors", 2017);
 * Details marked "emulator wording" are not documented verbatim and say so in the README.
 */
export interface FaultItem {
  Message: string
  Detail: string
  code: string
  element?: string
}
export type FaultType =
  'ValidationFault' | 'SERVICE' | 'AUTHENTICATION' | 'AuthorizationFault' | 'SystemFault'

/** Thrown by entity handlers; the API layer renders it as `{"Fault":…,"time":…}`. */
export class QboFault extends Error {
  readonly status: number
  readonly type: FaultType
  readonly errors: FaultItem[]
  constructor(errors: FaultItem[], options: { status?: number; type?: FaultType } = {}) {
    super(errors.map((e) => `${e.code} ${e.Message}`).join('; '))
    this.status = options.status ?? 400
    this.type = options.type ?? 'ValidationFault'
    this.errors = errors
  }
}

function validation(code: string, Message: string, Detail: string, element = ''): QboFault {
  return new QboFault([{ Message, Detail, code, element }])
}

export const faults = {
  /** Jackson's wording for a property the schema does not know (seen in real 2010 faults). */
  unsupportedProperty: (property: string, javaClass: string) =>
    validation(
      '2010',
      'Request has invalid or unsupported property',
      `Property Name:Unrecognized field "${property}" (class com.intuit.schema.finance.v3.${javaClass}), not marked as ignorable`,
    ),
  badPropertyValue: (property: string, detail: string) =>
    validation('2010', 'Request has invalid or unsupported property', `Property Name:${detail}`, property),
  malformedJson: () =>
    validation(
      '2010',
      'Request has invalid or unsupported property',
      'Property Name:failed to parse json object; a property specified is unsupported or invalid',
    ),
  requiredParam: (name: string) =>
    validation(
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${name} is missing in the request`,
      name,
    ),
  /** Intuit's wording for a string over its field's length (seen in real 2050 faults, e.g. Max:21). */
  stringLength: (name: string, max: number, supplied: number) =>
    validation(
      '2050',
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${supplied}`,
      name,
    ),
  invalidReference: (name: string) =>
    validation(
      '2500',
      'Invalid Reference Id',
      "Invalid Reference Id : Something you're trying to use has been made inactive. Check the fields with accounts.",
      name,
    ),
  inactiveReference: (name: string) =>
    validation(
      '610',
      'Object Not Found',
      "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts.",
      name,
    ),
  notFound: (entity: string, id: string) =>
    validation(
      '610',
      'Object Not Found',
      `Object Not Found : Another user has deleted this transaction. (${entity} Id=${id})`,
    ),
  staleObject: (user: string) =>
    validation(
      '5010',
      'Stale Object Error',
      `Stale Object Error : You and ${user} were working on this at the same time. ${user} finished before you did, so your work was not saved.`,
    ),
  duplicateName: (kind: string) =>
    validation(
      '6240',
      'Duplicate Name Exists Error',
      `The name supplied already exists. : Another ${kind} is already using this name. Please use a different name.`,
    ),
  duplicateDocNumber: (docNumber: string, txnType: string, txnId: string) =>
    validation(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${txnType} with TxnId=${txnId}`,
    ),
  invalidUsTaxCode: (supplied: string) =>
    validation(
      '6100',
      'Invalid Line TaxCode in the request',
      `Valid Line TaxCodes for US should be TAX or NON. Supplied value:${supplied}`,
    ),
  amountCalculation: (supplied: string) =>
    validation(
      '6070',
      'Amount calculation incorrect in the request',
      `Amount is not equal to Qty * UnitPrice. Supplied value:${supplied}`,
    ),
  noName: () =>
    validation(
      '6080',
      'No Name Provided',
      'Title, GivenName, MiddleName, FamilyName, DisplayName, Suffix - one of these must be non-empty',
    ),
  accountTypeMissing: () =>
    validation(
      '6010',
      'Invalid Account.AccountType && Account.SubType',
      'Either an Account.AccountType or an Account.AccountSubType must be specified',
    ),
  periodClosed: () =>
    validation(
      '6210',
      'Account Period Closed',
      'The account period has closed and the books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
    ),
  /** 6000 is Intuit's catch-all business rule code; the Detail after the prefix is emulator wording. */
  business: (detail: string) =>
    validation(
      '6000',
      'A business validation error has occurred while processing your request',
      `Business Validation Error: ${detail}`,
    ),
  unsupportedOperation: (operation: string, entity: string) =>
    validation('500', 'Unsupported Operation', `Operation ${operation} is not supported for ${entity}`),
  batchTooLarge: (limit: number) =>
    validation('1040', 'Batch size exceeds allowed limit', `Batch size exceeds allowed limit of ${limit}`),
  queryParse: (detail: string) => validation('4000', 'Error parsing query', `QueryParserError: ${detail}`),
  queryInvalid: (detail: string) => validation('4001', 'Invalid query', `QueryValidationError: ${detail}`),
  throttled: () =>
    new QboFault(
      [
        {
          Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
          Detail: 'The request limit was reached.',
          code: '3001',
        },
      ],
      { status: 429, type: 'SERVICE' },
    ),
  authentication: () =>
    new QboFault(
      [
        {
          Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
          Detail: 'Token expired or invalid',
          code: '3200',
        },
      ],
      { status: 401, type: 'AUTHENTICATION' },
    ),
  authorization: () =>
    new QboFault(
      [
        {
          Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
          Detail: 'The application is not authorized to access this company',
          code: '3100',
        },
      ],
      { status: 403, type: 'AuthorizationFault' },
    ),
  server: (status: number) =>
    new QboFault(
      [
        {
          Message: 'An application error has occurred while processing your request',
          Detail: `System Failure Error: HTTP ${status}`,
          code: '10000',
        },
      ],
      { status, type: 'SystemFault' },
    ),
}
