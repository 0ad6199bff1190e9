import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { XeroClient } from 'xero-node'
import type { XeroEmulator } from './index.ts'
import { startXeroEmulator } from './index.ts'
import { UK, US, decide } from './testing.ts'
import { xeroClientFor } from './xero-sdk.ts'

/** xero-node 20, unmodified, against the emulator; no axios interceptor in this file. */
let emu: XeroEmulator
let xero: XeroClient
const SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.transactions',
  'accounting.contacts',
  'accounting.settings',
]

beforeAll(async () => {
  emu = await startXeroEmulator()
  xero = await xeroClientFor(emu.url, SCOPES)
})
afterAll(() => emu.close())

/** xero-node rejects with a JSON string (PROVIDERS 1.10). */
async function rejection(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    return JSON.parse(err as string) as {
      response: { statusCode: number; body: { Elements: { ValidationErrors: { Message: string }[] }[] } }
    }
  }
  throw new Error('expected a rejection')
}

describe('xero-node end to end', () => {
  it('builds the consent URL, exchanges the code in apiCallback and validates the id_token', async () => {
    const consentUrl = await xero.buildConsentUrl()
    expect(consentUrl.startsWith(`${emu.url}/identity/connect/authorize?`)).toBe(true)
    const callback = await decide(emu, consentUrl, [UK, US])
    const tokenSet = await xero.apiCallback(callback.toString())
    expect(tokenSet.expires_in).toBe(1800)
    expect(tokenSet.claims()).toMatchObject({ email: 'bookkeeper@ledgerlink.example' })
  })

  it('refreshes through openid-client and keeps working', async () => {
    const before = xero.readTokenSet().refresh_token
    const refreshed = await xero.refreshToken()
    expect(refreshed.refresh_token).not.toBe(before)
    const org = await xero.accountingApi.getOrganisations(UK)
    expect(org.body.organisations?.[0]?.name).toBe('Hedgerow Software Ltd')
  })

  it('creates and reads invoices, with dates parsed from MS-JSON', async () => {
    const { CurrencyCode, Invoice, LineAmountTypes } = await import('xero-node')
    const created = await xero.accountingApi.createInvoices(
      UK,
      {
        invoices: [
          {
            type: Invoice.TypeEnum.ACCREC,
            contact: { name: 'SDK Customer Ltd' },
            lineItems: [
              {
                description: 'Pro plan',
                quantity: 2,
                unitAmount: 49.5,
                accountCode: '200',
                taxType: 'OUTPUT2',
                discountRate: 10,
              },
            ],
            date: '2026-05-01',
            dueDate: '2026-05-31',
            lineAmountTypes: LineAmountTypes.Exclusive,
            invoiceNumber: 'SDK-1001',
            reference: 'saas-inv-42',
            currencyCode: CurrencyCode.GBP,
            status: Invoice.StatusEnum.AUTHORISED,
          },
        ],
      },
      true,
      4,
      'sdk-idempotency-key-1',
    )
    const invoice = created.body.invoices![0]!
    expect(invoice.total).toBe(106.92)
    const read = await xero.accountingApi.getInvoices(
      UK,
      undefined,
      undefined,
      undefined,
      undefined,
      ['SDK-1001'],
      undefined,
      undefined,
      1,
    )
    expect(read.body.invoices![0]!.invoiceID).toBe(invoice.invoiceID)
    expect(read.body.invoices![0]!.lineItems).toHaveLength(1)
    expect(read.body.pagination).toMatchObject({ page: 1, itemCount: 1 })
    const log = emu.control.requests().find((r) => r.method === 'PUT' && r.path === '/api.xro/2.0/Invoices')!
    expect(log.query).toEqual({ summarizeErrors: 'true', unitdp: '4' })
    expect(log.headers['idempotency-key']).toBe('sdk-idempotency-key-1')
  })

  it('surfaces a ValidationException as the JSON-string rejection xero-node produces', async () => {
    const { Invoice } = await import('xero-node')
    const err = await rejection(
      xero.accountingApi.createInvoices(UK, {
        invoices: [
          {
            type: Invoice.TypeEnum.ACCREC,
            contact: { name: 'SDK Customer Ltd' },
            invoiceNumber: 'SDK-1001',
            lineItems: [],
          },
        ],
      }),
    )
    expect(err.response.statusCode).toBe(400)
    expect(err.response.body.Elements[0]!.ValidationErrors[0]!.Message).toBe('Invoice # must be unique.')
  })

  it('revokes the token set', async () => {
    await xero.revokeToken()
    expect(emu.control.connections()).toEqual([])
  })
})
