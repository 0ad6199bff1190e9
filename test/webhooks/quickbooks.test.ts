import { beforeAll, describe, expect, test } from 'vitest'
import { eventDigest } from '../../server/sync/provider-events.ts'
import { connected } from '../connections/support.ts'
import { DEFAULT_CLIENT, type QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { intuitSignature } from '../emulators/quickbooks/webhooks/payload.ts'
import { deliver, queuedEventsJob, stored, until, useWebhookApp } from './support.ts'

// QB-P12 (CERTIFICATION), PROVIDERS 2.8: intuit-signature over the raw body, CloudEvents first and
// the legacy format still, any Content-Type, events stored once, 400 only for a body in neither format.
const ctx = useWebhookApp(['quickbooks'])
const OTHER_REALM = '9130350000000002' // no connection knows it
let qbo: QuickBooksEmulator
let verifier: string
let receiver: string
let realm: string
let db: ReturnType<typeof stored>

beforeAll(async () => {
  qbo = ctx.emu.handles.quickbooks!
  verifier = ctx.emu.webhookKeys.quickbooks!
  receiver = `${ctx.url}/v1/webhooks/quickbooks`
  db = stored(ctx.t)
  const token = await ctx.t.session({ tenant: 'hooks-qbo', sub: 'a' })
  realm = (await connected(ctx.t, token, 'quickbooks')).organisation.id
  qbo.control.webhooks.configure({ url: receiver, verifierToken: verifier })
})

const post = (body: string, headers: Record<string, string> = {}) =>
  deliver(receiver, body, { 'content-type': 'application/cloudevents+json', ...headers })
const postSigned = (body: string, headers: Record<string, string> = {}) =>
  post(body, { 'intuit-signature': intuitSignature(verifier, body), ...headers })

interface CloudEvent {
  id: string
  type: string
  intuitentityid: string
  intuitaccountid: string
  time: string
}
let ids = 0
const cloudEvent = (over: Partial<CloudEvent> = {}) => ({
  specversion: '1.0',
  id: over.id ?? `5d1a0c3e-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  source: 'intuit.dGVzdA==',
  type: 'qbo.invoice.updated.v1',
  datacontenttype: 'application/json',
  time: '2026-05-04T10:11:12.345678901Z',
  intuitentityid: String(100 + ids),
  intuitaccountid: realm,
  data: {},
  ...over,
})

describe('deliveries from the emulator', () => {
  test('a payment entered in QuickBooks reaches LedgerLink as CloudEvents (application/cloudevents+json) and is acknowledged 200', async () => {
    const sentBefore = qbo.control.webhooks.deliveries().length
    const invoice = qbo.control.write(realm, 'invoice', {
      CustomerRef: { value: '1' },
      Line: [
        { DetailType: 'SalesItemLineDetail', Amount: 40, SalesItemLineDetail: { ItemRef: { value: '3' } } },
      ],
    })
    const payment = qbo.control.recordPayment({ realmId: realm, invoiceId: invoice.Id })
    await until(
      async () =>
        (await db.events()).some((e) => e.entity === 'payment') &&
        qbo.control.webhooks.deliveries().every((d) => d.delivered),
      'the payment event, acknowledged',
    )

    const delivered = qbo.control.webhooks.deliveries().slice(sentBefore)
    expect(delivered.flatMap((d) => d.attempts.map((a) => a.status))).toEqual(delivered.map(() => 200))
    const sent = delivered.flatMap((d) => JSON.parse(d.body) as CloudEvent[])
    const events = await db.events()
    expect(events.map((e) => e.event_id)).toEqual(sent.map((e) => e.id)) // CloudEvents ids, as they came
    expect(events.find((e) => e.entity === 'payment')).toEqual({
      provider: 'quickbooks',
      event_id: expect.any(String),
      organisation_id: realm,
      entity: 'payment',
      resource_id: payment.Id,
      operation: 'qbo.payment.created.v1',
      occurred_at: expect.any(Number),
      state: 'queued',
      note: null,
    })
    expect(events.find((e) => e.resource_id === invoice.Id)).toMatchObject({ entity: 'invoice' })
    expect((await db.deliveries()).map((d) => d.content_type)).toEqual(
      delivered.map(() => 'application/cloudevents+json'),
    )
    expect(await db.jobs()).toEqual([queuedEventsJob('quickbooks', realm)])
  })

  test('the legacy eventNotifications format (application/json) is read too: its events get a digest for an id', async () => {
    qbo.control.webhooks.configure({ url: receiver, verifierToken: verifier, format: 'legacy' })
    try {
      const customer = qbo.control.write(realm, 'customer', { DisplayName: 'Legacy Hooks Ltd' })
      await until(async () => (await db.events()).length === 1, 'the customer event')
      const [delivery] = await db.deliveries()
      expect(delivery).toMatchObject({ outcome: 'accepted', content_type: 'application/json', events: 1 })
      const sent = (
        JSON.parse(delivery!.body) as {
          eventNotifications: { dataChangeEvent: { entities: { lastUpdated: string }[] } }[]
        }
      ).eventNotifications[0]!.dataChangeEvent.entities[0]!
      expect(await db.events()).toEqual([
        {
          provider: 'quickbooks',
          event_id: eventDigest([realm, 'Customer', customer.Id, 'Create', sent.lastUpdated]),
          organisation_id: realm,
          entity: 'contact',
          resource_id: customer.Id,
          operation: 'Create',
          occurred_at: Date.parse(sent.lastUpdated.replace(/(\d\d)(\d\d)$/, '$1:$2')),
          state: 'queued',
          note: null,
        },
      ])
    } finally {
      qbo.control.webhooks.configure({ url: receiver, verifierToken: verifier })
    }
  })

  test('a delivery sent again byte for byte is acknowledged and adds nothing (deduplicated on the CloudEvents id)', async () => {
    qbo.control.write(realm, 'customer', { DisplayName: 'Twice Told Inc' })
    await until(async () => (await db.events()).length === 1, 'the customer event')
    const last = qbo.control.webhooks.deliveries().at(-1)!
    expect(await qbo.control.webhooks.redeliver(last.id)).toBe(200)
    expect(await qbo.control.webhooks.redeliver(last.id)).toBe(200)
    expect(await db.events()).toHaveLength(1)
    expect((await db.deliveries()).map((d) => d.events)).toEqual([1, 1, 1])
    expect(await db.jobs()).toHaveLength(1)
  })
})

describe('the signature', () => {
  test('a missing or wrong intuit-signature answers 401 and nothing is kept; the client secret is not the key', async () => {
    const body = JSON.stringify([cloudEvent()])
    const good = intuitSignature(verifier, body)
    const statuses = [
      (await post(body)).status,
      await qbo.control.webhooks.sendRaw(body, intuitSignature(DEFAULT_CLIENT.clientSecret, body)),
      await qbo.control.webhooks.sendRaw(body, good.slice(1)),
      await qbo.control.webhooks.sendRaw(JSON.stringify(JSON.parse(body), null, 1), good), // the raw body counts
      await qbo.control.webhooks.sendRaw(body, 'x'.repeat(good.length)),
    ]
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    expect(await db.deliveries()).toEqual([])
    expect(await db.events()).toEqual([])
    expect(await db.jobs()).toEqual([])
    expect(await qbo.control.webhooks.sendRaw(body, good)).toBe(200) // the same body, rightly signed
    expect(await db.events()).toHaveLength(1)
  })

  test('a signed delivery answers 200 with an empty body, whatever its Content-Type (never 415)', async () => {
    const types = [
      'application/cloudevents+json',
      'application/cloudevents+json; charset=utf-8',
      'application/json',
      'text/plain',
      'application/octet-stream',
    ]
    const answers = []
    for (const type of types)
      answers.push(await postSigned(JSON.stringify([cloudEvent()]), { 'content-type': type }))
    expect(answers.map((a) => [a.status, a.text])).toEqual(types.map(() => [200, '']))
    expect((await db.deliveries()).map((d) => d.content_type)).toEqual(types)
    expect(await db.events()).toHaveLength(types.length)
  })
})

describe('events', () => {
  test('a duplicate CloudEvents id is stored once, in whichever batch it comes again', async () => {
    const first = cloudEvent({ id: 'dup-1' })
    expect((await postSigned(JSON.stringify([first]))).status).toBe(200)
    expect((await postSigned(JSON.stringify([cloudEvent(), { ...first }]))).status).toBe(200)
    expect((await postSigned(JSON.stringify([first]))).status).toBe(200)
    const events = await db.events()
    expect(events.filter((e) => e.event_id === 'dup-1')).toHaveLength(1)
    expect(events).toHaveLength(2)
    expect(await db.jobs()).toHaveLength(1)
  })

  test('a batch of 100 events spanning two companies maps each event to its company; the unknown one’s are ignored', async () => {
    const batch = Array.from({ length: 100 }, (_, i) =>
      cloudEvent({ intuitaccountid: i % 5 === 0 ? OTHER_REALM : realm, intuitentityid: String(1000 + i) }),
    )
    expect((await postSigned(JSON.stringify(batch))).status).toBe(200)
    const events = await db.events()
    expect(events.map((e) => [e.resource_id, e.organisation_id])).toEqual(
      batch.map((e) => [e.intuitentityid, e.intuitaccountid]),
    )
    expect(events.filter((e) => e.state === 'ignored').map((e) => e.organisation_id)).toEqual(
      Array.from({ length: 20 }, () => OTHER_REALM),
    )
    expect(events.filter((e) => e.state === 'queued')).toHaveLength(80)
    expect(await db.jobs()).toEqual([queuedEventsJob('quickbooks', realm)])
  })

  test('entities are read in LedgerLink’s words; those it does not sync are `other`, still acknowledged', async () => {
    const types = [
      'qbo.invoice.voided.v1',
      'qbo.payment.deleted.v1',
      'qbo.creditmemo.created.v1',
      'qbo.customer.merged.v1',
      'qbo.account.created.v1',
      'qbo.item.updated.v1',
      'something.else',
    ]
    const res = await postSigned(JSON.stringify(types.map((type) => cloudEvent({ type }))))
    expect(res.status).toBe(200)
    const events = await db.events()
    expect(events.map((e) => [e.operation, e.entity])).toEqual([
      ['qbo.invoice.voided.v1', 'invoice'],
      ['qbo.payment.deleted.v1', 'payment'],
      ['qbo.creditmemo.created.v1', 'credit_note'],
      ['qbo.customer.merged.v1', 'contact'],
      ['qbo.account.created.v1', 'other'],
      ['qbo.item.updated.v1', 'other'],
      ['something.else', 'other'],
    ])
    expect(events[0]!.occurred_at).toBe(Date.UTC(2026, 4, 4, 10, 11, 12, 345))
  })

  test('a signed body in neither format answers 400 and is kept as malformed for inspection', async () => {
    const bodies = [
      'not json',
      '{}',
      '[]',
      JSON.stringify([{ id: 'no-specversion', type: 'qbo.invoice.updated.v1' }]),
      JSON.stringify([{ specversion: '1.0', type: 'qbo.invoice.updated.v1' }]), // no id
      JSON.stringify({ eventNotifications: [{ realmId: realm }] }),
    ]
    const answers = []
    for (const body of bodies) answers.push(await postSigned(body))
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 400))
    for (const a of answers)
      expect(JSON.parse(a.text)).toMatchObject({ error: { code: 'malformed_request' } })
    const kept = await db.deliveries()
    expect(kept.map((d) => [d.outcome, d.body])).toEqual(bodies.map((b) => ['malformed', b]))
    expect(kept.map((d) => d.note)).toEqual([
      'not JSON',
      expect.stringMatching(/^neither CloudEvents/),
      expect.stringMatching(/^neither CloudEvents/),
      expect.stringMatching(/^neither CloudEvents/),
      expect.stringMatching(/^not a CloudEvents batch: 0\.id: /),
      expect.stringMatching(/^not a QuickBooks notification: eventNotifications\.0\.dataChangeEvent: /),
    ])
    expect(await db.events()).toEqual([])
  })
})
