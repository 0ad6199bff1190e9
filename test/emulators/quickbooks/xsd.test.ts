import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect } from './test-support.ts'
import { loadQboSchema } from './xsd/schema.ts'
import { shapeViolations } from './xsd/validate.ts'

const schema = loadQboSchema()
let emu: QuickBooksEmulator
let api: ReturnType<typeof apiClient>

beforeAll(async () => {
  emu = await startQuickBooksEmulator()
  api = apiClient(emu, (await connect(emu)).accessToken)
})
afterAll(() => emu.close())

describe('entity shapes follow Finance.xsd', () => {
  it('reads the schema: inheritance, groups, references as simple content', () => {
    expect([...schema.elementsOf('Invoice').keys()]).toEqual(
      expect.arrayContaining(['Id', 'SyncToken', 'TxnDate', 'Line', 'Balance']),
    )
    expect(schema.elementsOf('LinkedTxn').get('TxnId')).toEqual({ type: 'id', many: false })
    expect(schema.isSimpleContent('ReferenceType')).toBe(true)
    expect(schema.enums.get('LineDetailTypeEnum')?.has('SalesItemLineDetail')).toBe(true)
  })

  it('finds unknown properties and values of the wrong kind at any depth', () => {
    const violations = shapeViolations(schema, 'Invoice', {
      Line: [
        {
          DetailType: 'SalesItemLineDetail',
          SalesItemLineDetail: { ItemRef: { value: '1', colour: 'x' }, Qty: 'two' },
        },
      ],
      TotalAmt: { value: 1 },
    })
    expect(violations.map((v) => [v.kind, v.path])).toEqual([
      ['unknown-property', 'Invoice.Line[0].SalesItemLineDetail.ItemRef.colour'],
      ['bad-value', 'Invoice.Line[0].SalesItemLineDetail.Qty'],
      ['bad-value', 'Invoice.TotalAmt'],
    ])
  })

  it('every entity the emulator answers with, seeded or written, has no property the XSD lacks', async () => {
    const line = {
      DetailType: 'SalesItemLineDetail',
      Amount: 50,
      SalesItemLineDetail: { ItemRef: { value: '4' } },
    }
    const inv = (await api.post('invoice', { CustomerRef: { value: '1' }, Line: [line] })).json.Invoice
    await api.post('creditmemo', { CustomerRef: { value: '1' }, Line: [line] })
    await api.post('payment', {
      CustomerRef: { value: '1' },
      TotalAmt: 10,
      Line: [{ Amount: 10, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
    })
    await api.post('customer', { DisplayName: 'Shape Check' })
    await api.post('item', { Name: 'Shape Item', Type: 'Service', IncomeAccountRef: { value: '1' } })
    await api.post('account', { Name: 'Shape Account', AccountType: 'Income' })
    const types = [
      'Customer',
      'Invoice',
      'Payment',
      'CreditMemo',
      'Item',
      'Account',
      'TaxCode',
      'TaxRate',
      'Term',
      'CompanyCurrency',
    ]
    for (const type of [...types, 'CompanyInfo', 'Preferences']) {
      const rows = (await api.query(`select * from ${type} where Id > '0'`)).json.QueryResponse[
        type
      ] as unknown[]
      expect(rows.length, type).toBeGreaterThan(0)
      for (const row of rows) expect(shapeViolations(schema, type, row), type).toEqual([])
    }
  })
})
