import { beforeAll, describe, expect, test } from 'vitest'
import { eventDigest } from '../../server/sync/provider-events.ts'
import { connect } from '../connections/flow.ts'
import { DEMO_TENANT_IDS, signXeroWebhook, type XeroEmulator } from '../emulators/xero/index.ts'
import { api, connect as emulatorConsent, line } from '../emulators/xero/testing.ts'
import { deliver, queuedEventsJob, stored, until, useWebhookApp } from './support.ts'

// XR-W01 and XR-W02 (CERTIFICATION 1.9), PROVIDERS 1.11: the signature over the raw body, 200 with
// no body and no cookies or 401, the Intent to Receive, and events stored once however delivered.
const ctx = useWebhookApp(['xero'])
const UK = DEMO_TENANT_IDS.uk
const US = DEMO_TENANT_IDS.us
const AU = DEMO_TENANT_IDS.au // no connection knows it
let xero: XeroEmulator
let key: string
let receiver: string
let db: ReturnType<typeof stored>

beforeAll(async () => {
  xero = ctx.emu.handles.xero!
  key = ctx.emu.webhookKeys.xero!
  receiver = `${ctx.url}/v1/webhooks/xero`
  db = stored(ctx.t)
  for (const [tenant, organisation] of [
    ['hooks-uk', UK],
    ['hooks-us', US],
  ] as const) {
    const token = await ctx.t.session({ tenant, sub: 'a' })
    const { status } = await connect(ctx.t, token, 'xero', { organisations: [organisation] })
    expect(status.connection?.organisation.id).toBe(organisation)
  }
})

const sign = (body: string, withKey = key) => signXeroWebhook(body, withKey)
const post = (body: string, signature?: string) =>
  deliver(receiver, body, {
    'content-type': 'application/json',
    ...(signature === undefined ? {} : { 'x-xero-signature': signature }),
  })
const postSigned = (body: string) => post(body, sign(body))

interface WireEvent {
  resourceId: string
  tenantId: string
  eventCategory: string
  eventType: string
  eventDateUtc: string
}
let resources = 0
const event = (over: Partial<WireEvent> = {}): WireEvent & Record<string, string> => {
  const resourceId = over.resourceId ?? `0f1e2d3c-0000-4000-8000-${String(++resources).padStart(12, '0')}`
  return {
    resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${resourceId}`,
    resourceId,
    eventDateUtc: '2026-05-04T10:11:12.345',
    eventType: 'UPDATE',
    eventCategory: 'INVOICE',
    tenantId: UK,
    tenantType: 'ORGANISATION',
    ...over,
  }
}
const payload = (events: object[], first = 1) =>
  JSON.stringify({
    events,
    firstEventSequence: first,
    lastEventSequence: first + events.length - 1,
    entropy: 'QWERTYUIOPASDFGHJKLZ',
  })
const digestOf = (e: WireEvent) =>
  eventDigest([e.tenantId, e.eventCategory, e.eventType, e.resourceId, e.eventDateUtc])

describe('the Intent to Receive', () => {
  test('the emulator’s handshake passes: 200 to each signed payload, 401 to each wrongly signed one, and only the signed ones are kept', async () => {
    xero.control.webhooks.subscribe({ url: receiver, key })
    const itr = await xero.control.webhooks.intentToReceive()
    expect(itr.deliveries.map((d) => [d.signed, d.status])).toEqual([
      [true, 200],
      [false, 401],
      [true, 200],
      [false, 401],
    ])
    expect(itr.passed).toBe(true)
    expect(xero.control.webhooks.subscription()?.status).toBe('OK')
    const kept = await db.deliveries()
    expect(kept.map((d) => [d.outcome, d.events])).toEqual([
      ['accepted', 0],
      ['accepted', 0],
    ])
    expect(kept.map((d) => d.body)).toEqual(itr.deliveries.filter((d) => d.signed).map((d) => d.body))
    expect(await db.events()).toEqual([])
    expect(await db.jobs()).toEqual([])
  })
})

describe('a payment entered in Xero', () => {
  test('reaches LedgerLink as the emulator delivers it: each event stored, one job queued for the organisation, no call to Xero', async () => {
    xero.control.webhooks.subscribe({ url: receiver, key })
    expect((await xero.control.webhooks.intentToReceive()).passed).toBe(true)
    const token = (await emulatorConsent(xero, { tenants: [UK] })).access_token
    const created = await api(xero, token, 'PUT', '/Invoices', {
      tenant: UK,
      body: {
        Invoices: [
          { Type: 'ACCREC', Contact: { Name: 'Hooked Ltd' }, Status: 'AUTHORISED', LineItems: [line()] },
        ],
      },
    })
    const invoiceId = (created.body as { Invoices: { InvoiceID: string }[] }).Invoices[0]!.InvoiceID
    xero.control.clearRequests()
    xero.control.payInvoice(UK, invoiceId) // as a bookkeeper would, in Xero

    // The events commit before the emulator reads the answer: wait for both.
    await until(
      async () => (await db.events()).length === 3 && xero.control.webhooks.pending() === 0,
      'three events, acknowledged',
    )
    const events = await db.events()
    expect(events.map((e) => [e.entity, e.operation, e.organisation_id, e.state])).toEqual([
      ['contact', 'CREATE', UK, 'queued'],
      ['invoice', 'CREATE', UK, 'queued'],
      ['invoice', 'UPDATE', UK, 'queued'], // the payment: Xero has no payment events
    ])
    expect(events[2]!.resource_id).toBe(invoiceId)
    expect(events.every((e) => typeof e.occurred_at === 'number')).toBe(true)
    expect(await db.jobs()).toEqual([queuedEventsJob('xero', UK)])
    expect(xero.control.webhooks.deliveries().at(-1)!.status).toBe(200)
    expect(xero.control.requests()).toEqual([]) // receiving never calls Xero
  })
})

describe('the signature (XR-W01)', () => {
  test('a signed delivery answers 200 with no body and no cookies', async () => {
    const res = await postSigned(payload([event()]))
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(res.headers.get('content-type')).toBeNull()
    expect(await db.events()).toHaveLength(1)
  })

  test('is over the raw bytes: the payload re-spaced and signed again is taken as it came, a body changed after signing is refused', async () => {
    const body = payload([event({ resourceId: 'raw-body-1' })])
    const spaced = JSON.stringify(JSON.parse(body), null, 2)
    const respaced = await post(spaced, sign(spaced))
    const trailing = await post(`${body} `, sign(body))
    const changed = await post(body.replace('raw-body-1', 'raw-body-2'), sign(body))
    const unspaced = await post(body, sign(spaced))
    expect([respaced.status, trailing.status, changed.status, unspaced.status]).toEqual([200, 401, 401, 401])
    const kept = await db.deliveries()
    expect(kept).toHaveLength(1)
    expect(kept[0]!.body).toBe(spaced) // byte for byte
    expect((await db.events()).map((e) => e.resource_id)).toEqual(['raw-body-1'])
  })

  test('a missing, wrong or wrongly sized signature answers 401 with no body, and nothing is kept', async () => {
    const body = payload([event()])
    const good = sign(body)
    const answers = [
      await post(body),
      await post(body, ''),
      await post(body, sign(body, `${key}-old`)),
      await post(body, good.slice(0, -2)),
      await post(body, `${good}AA`),
      await post(body, good.toLowerCase()),
      await post(body, '!'.repeat(good.length)),
    ]
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 401))
    expect(answers.map((a) => a.text)).toEqual(answers.map(() => ''))
    expect(answers.every((a) => a.headers.get('set-cookie') === null)).toBe(true)
    expect(await db.deliveries()).toEqual([])
    expect(await db.events()).toEqual([])
    expect(await db.jobs()).toEqual([])
  })
})

describe('events (XR-W02)', () => {
  test('the same event delivered three times, out of sequence, then in a replayed batch, is stored once; one job per organisation', async () => {
    const [a, b, c] = [
      event(),
      event({ eventCategory: 'CONTACT', eventType: 'CREATE' }),
      event({ tenantId: US }),
    ]
    const bodies = [payload([b], 2), payload([a, b], 1), payload([c], 3), payload([b], 2), payload([a, b, c])]
    const answers = []
    for (const body of bodies) answers.push((await postSigned(body)).status)
    expect(answers).toEqual([200, 200, 200, 200, 200])

    const events = await db.events()
    expect(events.map((e) => [e.event_id, e.organisation_id])).toEqual([
      [digestOf(b), UK],
      [digestOf(a), UK],
      [digestOf(c), US],
    ])
    expect((await db.deliveries()).map((d) => [d.outcome, d.events])).toEqual([
      ['accepted', 1],
      ['accepted', 2],
      ['accepted', 1],
      ['accepted', 1],
      ['accepted', 3],
    ])
    // Queued once per organisation, however many deliveries named it while the job waits.
    expect(await db.jobs()).toEqual([queuedEventsJob('xero', UK), queuedEventsJob('xero', US)])
  })

  test('are read in LedgerLink’s words: categories, the organisation, the operation and the time (UTC without a zone)', async () => {
    const wire = [
      event({ eventCategory: 'INVOICE', eventType: 'UPDATE', resourceId: 'inv-1' }),
      event({ eventCategory: 'CONTACT', eventType: 'CREATE', resourceId: 'con-1' }),
      { ...event({ eventCategory: 'CREDITNOTE', resourceId: 'cn-1' }), data: { Type: 'ACCRECCREDIT' } },
      event({ eventCategory: 'SUBSCRIPTION', resourceId: 'sub-1', eventDateUtc: '2026-05-04T10:11:12' }),
    ]
    expect((await postSigned(payload(wire))).status).toBe(200)
    expect(await db.events()).toEqual([
      {
        provider: 'xero',
        event_id: digestOf(wire[0]!),
        organisation_id: UK,
        entity: 'invoice',
        resource_id: 'inv-1',
        operation: 'UPDATE',
        occurred_at: Date.UTC(2026, 4, 4, 10, 11, 12, 345),
        state: 'queued',
        note: null,
      },
      expect.objectContaining({ entity: 'contact', resource_id: 'con-1', operation: 'CREATE' }),
      expect.objectContaining({ entity: 'credit_note', resource_id: 'cn-1' }),
      expect.objectContaining({
        entity: 'other',
        resource_id: 'sub-1',
        occurred_at: Date.UTC(2026, 4, 4, 10, 11, 12),
      }),
    ])
  })

  test('an event of an organisation no connection knows is acknowledged, kept as ignored, and logged at warn', async () => {
    const before = ctx.t.logs.length
    const res = await postSigned(payload([event({ tenantId: AU, resourceId: 'stranger-1' })]))
    expect(res.status).toBe(200)
    expect(await db.events()).toEqual([
      expect.objectContaining({
        organisation_id: AU,
        resource_id: 'stranger-1',
        state: 'ignored',
        note: 'No connection to this organisation',
      }),
    ])
    expect(await db.jobs()).toEqual([])
    const warned = ctx.t.logs
      .slice(before)
      .map((l) => JSON.parse(l) as { level: string; msg: string; provider?: string; events?: number })
      .filter((l) => l.level === 'warn')
    expect(warned).toEqual([
      expect.objectContaining({
        msg: expect.stringContaining('for organisations no connection knows were acknowledged and ignored'),
        provider: 'xero',
        events: 1,
      }),
    ])
  })

  test('a signed body that is not JSON or not a Xero payload answers 400 and is kept as malformed; an unsigned one is not kept', async () => {
    const bodies = ['{"events": [', '{"events":"none"}', payload([{ tenantId: UK }]), '[]', '']
    const answers = []
    for (const body of bodies) answers.push(await postSigned(body))
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400])
    for (const a of answers)
      expect(JSON.parse(a.text)).toMatchObject({ error: { code: 'malformed_request' } })
    expect(await post('{"events": [', sign('something else'))).toMatchObject({ status: 401 })

    const kept = await db.deliveries()
    expect(kept.map((d) => [d.outcome, d.body])).toEqual(bodies.map((b) => ['malformed', b]))
    expect(kept.map((d) => d.note)).toEqual([
      'not JSON',
      expect.stringMatching(/^not a Xero webhook payload: events: /),
      expect.stringMatching(/^not a Xero webhook payload: events\.0\.resourceId: /),
      expect.stringMatching(/^not a Xero webhook payload: /),
      'not JSON',
    ])
    expect(await db.events()).toEqual([])
    expect(await db.jobs()).toEqual([])
  })
})
