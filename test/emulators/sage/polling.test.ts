import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, asPage, connect } from './testing.ts'

let emu: SageEmulator
let api: ReturnType<typeof apiClient>
beforeEach(async () => {
  emu = await startSageEmulator()
  api = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.hartley)
})
afterEach(() => emu.close())

const newContact = async (name: string) =>
  (await (
    await api('/contacts', { method: 'POST', body: { contact: { name, contact_type_ids: ['CUSTOMER'] } } })
  ).json()) as {
    id: string
    updated_at: string
  }
const iso = (ms: number) => new Date(ms).toISOString()
const list = async (query: string) => asPage(await api(`/contacts?${query}`))

describe('paging', () => {
  it('follows $next to the end; $back points to the previous page', async () => {
    for (const name of ['A', 'B', 'C']) await newContact(name)
    const first = await list('items_per_page=3')
    expect(first).toMatchObject({
      $total: 7,
      $page: 1,
      $back: null,
      $items_per_page: 3,
      $next: '/contacts?items_per_page=3&page=2',
    })
    const seen = [...first.$items]
    let next: string | null = first.$next
    while (next) {
      const page = await asPage(await api(next))
      seen.push(...page.$items)
      next = page.$next
      expect(page.$back).toMatch(/page=\d/)
    }
    expect(new Set(seen.map((c) => c.id)).size).toBe(7)
  })

  it('keeps filters in $next, caps items_per_page at 200 and refuses a bad page', async () => {
    const body = await list('items_per_page=1&contact_type_id=CUSTOMER')
    expect(body.$next).toBe('/contacts?items_per_page=1&contact_type_id=CUSTOMER&page=2')
    expect((await list('items_per_page=500')).$items_per_page).toBe(200)
    const bad = await api('/contacts?page=0')
    expect(bad.status).toBe(422)
    expect((await bad.json())[0].$message).toBe('page is invalid')
  })
})

describe('updated_or_created_since and deleted_since', () => {
  it('updated_or_created_since is inclusive, to the second', async () => {
    emu.control.advanceClock(60_000)
    const mark = emu.control.clock.now()
    const created = await newContact('Fresh')
    const atCreation = await list(`updated_or_created_since=${encodeURIComponent(created.updated_at)}`)
    expect(atCreation.$items.map((c) => c.id)).toEqual([created.id])
    emu.control.advanceClock(2_000)
    expect(
      (await list(`updated_or_created_since=${encodeURIComponent(iso(emu.control.clock.now()))}`)).$total,
    ).toBe(0)
    expect((await list(`updated_or_created_since=${encodeURIComponent(iso(mark - 1000))}`)).$total).toBe(1)
  })

  it('deleted_since is exclusive and lists only deleted records, with deleted_at', async () => {
    const doomed = await newContact('Doomed')
    emu.control.advanceClock(5_000)
    const before = iso(emu.control.clock.now() - 1000)
    await api(`/contacts/${doomed.id}`, { method: 'DELETE' })
    const deleted = await list(`deleted_since=${encodeURIComponent(before)}`)
    expect(deleted.$items).toEqual([
      {
        id: doomed.id,
        displayed_as: expect.any(String),
        $path: `/contacts/${doomed.id}`,
        deleted_at: expect.any(String),
      },
    ])
    const exact = deleted.$items[0]!.deleted_at as string
    expect((await list(`deleted_since=${encodeURIComponent(exact)}`)).$total).toBe(0)
    expect((await list(`updated_or_created_since=${encodeURIComponent(before)}`)).$total).toBe(0)
  })

  it('refuses a timestamp it cannot read', async () => {
    const res = await api('/contacts?updated_or_created_since=yesterday')
    expect(res.status).toBe(422)
    expect((await res.json())[0]).toMatchObject({
      $dataCode: 'Validation',
      $message: 'updated_or_created_since is invalid',
    })
  })
})
