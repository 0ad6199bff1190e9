import { formatMinor, toMinor } from '../../shared/money.ts'
import { createTenantsRepo } from '../db/repos/tenants.ts'
import type { Services } from '../services.ts'

/**
 * "Brightwater Field Services": the demo host app's account, with customers in the UK, the US and
 * the euro area and invoices of every shape the sync must handle (multi-line, discounts, several
 * tax rates, drafts, sent, part-paid and paid). Deterministic, so every newcomer sees the same books.
 */
export const DEMO_TENANT = { id: 'brightwater', name: 'Brightwater Field Services' }
export const DEMO_USER = {
  sub: 'demo-admin',
  name: 'Morgan Reyes',
  role: 'admin' as const,
  email: 'morgan@brightwater.example',
}

const CUSTOMERS = [
  {
    name: 'Harbour Lights Café',
    currency: 'GBP',
    country: 'GB',
    city: 'Bristol',
    email: 'accounts@harbourlights.example',
  },
  {
    name: 'Pennine Property Lettings',
    currency: 'GBP',
    country: 'GB',
    city: 'Leeds',
    email: 'finance@pennine.example',
  },
  {
    name: 'St Aldhelm’s Primary School',
    currency: 'GBP',
    country: 'GB',
    city: 'Sherborne',
    email: 'bursar@staldhelms.example',
  },
  {
    name: 'Copperfield & Sons Bakery',
    currency: 'GBP',
    country: 'GB',
    city: 'Norwich',
    email: 'hello@copperfield.example',
  },
  {
    name: 'Thistle Dental Practice',
    currency: 'GBP',
    country: 'GB',
    city: 'Edinburgh',
    email: 'practice@thistledental.example',
  },
  {
    name: 'Riverside Veterinary Clinic',
    currency: 'USD',
    country: 'US',
    city: 'Portland',
    email: 'ap@riversidevet.example',
  },
  {
    name: 'Blue Ridge Brewing Co.',
    currency: 'USD',
    country: 'US',
    city: 'Asheville',
    email: 'billing@blueridge.example',
  },
  {
    name: 'Lakeshore Condominiums HOA',
    currency: 'USD',
    country: 'US',
    city: 'Chicago',
    email: 'board@lakeshorehoa.example',
  },
  {
    name: 'Hotel Zonnebloem',
    currency: 'EUR',
    country: 'NL',
    city: 'Utrecht',
    email: 'administratie@zonnebloem.example',
  },
  {
    name: 'Bäckerei Morgenrot',
    currency: 'EUR',
    country: 'DE',
    city: 'Freiburg',
    email: 'buchhaltung@morgenrot.example',
  },
  { name: 'Café Lumière', currency: 'EUR', country: 'FR', city: 'Lyon', email: 'compta@cafelumiere.example' },
  {
    name: 'Atlantic Co-working',
    currency: 'EUR',
    country: 'IE',
    city: 'Galway',
    email: 'finance@atlanticcowork.example',
  },
] as const

const TAX: Record<string, { code: string; rate: string }[]> = {
  GB: [
    { code: 'VAT20', rate: '20' },
    { code: 'VAT5', rate: '5' },
    { code: 'ZERO', rate: '0' },
  ],
  US: [
    { code: 'SALES', rate: '8.875' },
    { code: 'EXEMPT', rate: '0' },
  ],
  NL: [{ code: 'BTW21', rate: '21' }],
  DE: [{ code: 'MWST19', rate: '19' }],
  FR: [{ code: 'TVA20', rate: '20' }],
  IE: [{ code: 'VAT23', rate: '23' }],
}

const CATALOGUE = [
  {
    description: 'Engineer labour (hours)',
    category: 'Labour',
    price: { GBP: '58.00', USD: '72.50', EUR: '65.00' },
    qty: ['1.5', '2', '3.25', '4', '7.5'],
  },
  {
    description: 'Emergency call-out fee',
    category: 'Labour',
    price: { GBP: '95.00', USD: '120.00', EUR: '110.00' },
    qty: ['1'],
  },
  {
    description: 'Copper pipe 15mm (metres)',
    category: 'Materials',
    price: { GBP: '4.85', USD: '6.10', EUR: '5.40' },
    qty: ['6', '12', '25'],
  },
  {
    description: 'Thermostatic radiator valve',
    category: 'Materials',
    price: { GBP: '18.99', USD: '24.00', EUR: '21.50' },
    qty: ['2', '4', '6'],
  },
  {
    description: 'Combi boiler service kit',
    category: 'Materials',
    price: { GBP: '42.60', USD: '55.00', EUR: '48.90' },
    qty: ['1'],
  },
  {
    description: 'Dehumidifier hire (days)',
    category: 'Equipment',
    price: { GBP: '22.00', USD: '29.00', EUR: '25.00' },
    qty: ['3', '5', '7'],
  },
  {
    description: 'Pipe camera inspection',
    category: 'Equipment',
    price: { GBP: '135.00', USD: '175.00', EUR: '150.00' },
    qty: ['1'],
  },
  {
    description: 'Waste disposal',
    category: 'Other',
    price: { GBP: '35.00', USD: '45.00', EUR: '40.00' },
    qty: ['1'],
  },
] as const

/** A small deterministic PRNG (mulberry32), so the demo books are the same on every machine. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const day = (base: Date, offset: number) =>
  new Date(base.getTime() + offset * 86400_000).toISOString().slice(0, 10)

export const DEMO_INVOICE_COUNT = 48

/** Seeds the demo tenant once; a second call finds invoices there and does nothing. */
export async function seedDemo(services: Services, today = new Date(services.now())): Promise<boolean> {
  const { db } = services
  await createTenantsRepo(db, services.now).upsert(DEMO_TENANT.id, DEMO_TENANT.name)
  if (await db.get('SELECT 1 AS ok FROM invoices WHERE tenant_id = ? LIMIT 1', [DEMO_TENANT.id])) return false
  const random = prng(20261122)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const customers = []
  for (const [i, c] of CUSTOMERS.entries())
    customers.push({
      ...c,
      record: await services.customers.create(DEMO_TENANT.id, {
        externalId: `bw-cust-${100 + i}`,
        name: c.name,
        email: c.email,
        currency: c.currency,
        address: { city: c.city, country: c.country },
      }),
    })

  for (let n = 0; n < DEMO_INVOICE_COUNT; n++) {
    const customer = customers[n % customers.length]!
    const taxes = TAX[customer.country]!
    const issued = day(today, -120 + n * 2.5)
    const lineCount = 1 + Math.floor(random() * 4)
    const lines = Array.from({ length: lineCount }, () => {
      const item = pick(CATALOGUE)
      const tax = pick(taxes)
      return {
        description: item.description,
        category: item.category,
        quantity: pick(item.qty),
        unitPrice: item.price[customer.currency],
        taxCode: tax.code,
        taxRate: tax.rate,
        ...(random() < 0.15 ? { discountRate: pick(['5', '10', '12.5']) } : {}),
      }
    })
    const age = DEMO_INVOICE_COUNT - n
    const status = age <= 6 ? 'draft' : 'sent'
    const invoice = await services.invoices.create(DEMO_TENANT.id, {
      externalId: `bw-inv-${2001 + n}`,
      number: `BW-${2001 + n}`,
      customerId: customer.record.id,
      currency: customer.currency,
      issueDate: issued,
      dueDate: day(new Date(issued), 30),
      reference: `Job ${7400 + n * 3}`,
      notes: random() < 0.3 ? 'Thank you for your business. Payment by bank transfer please.' : undefined,
      status,
      lines,
    })
    if (status === 'sent' && age > 16) {
      const method = pick(['bank_transfer', 'card'] as const)
      if (age % 5 === 0) {
        const part = formatMinor(toMinor(invoice.total, invoice.currency) / 2n, invoice.currency)
        await services.payments.create(DEMO_TENANT.id, {
          invoiceId: invoice.id,
          amount: part,
          date: day(new Date(issued), 14),
          method,
        })
      } else {
        await services.payments.markInvoicePaid(DEMO_TENANT.id, invoice.id, {
          date: day(new Date(issued), 20),
          method,
        })
      }
    }
  }
  return true
}
