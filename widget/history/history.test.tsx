// @vitest-environment happy-dom
import { cleanup, fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../api/api-error.ts'
import { detail, item, minutesAgo, renderHistory, run } from './test-support.tsx'

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
  history.replaceState(null, '', '/')
})

const PAGE = { data: [run()], nextCursor: null }
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim()

describe('the list of runs', () => {
  it('shows each run newest first with its pill, what, when, where, counts and length (en-GB)', async () => {
    const { screen } = renderHistory(
      {},
      {
        list: () => ({
          data: [
            run(),
            run({
              id: 'hst_2',
              trigger: 'event',
              event: 'payment_recorded',
              recordKind: 'payment',
              status: 'succeeded',
              provider: 'quickbooks',
              organisation: 'Brightwater Inc',
              total: 1,
              synced: 1,
              failed: 0,
              finishedAt: '2026-11-02T09:30:00Z',
              durationMs: 400,
            }),
            run({
              id: 'hst_3',
              trigger: 'user',
              status: 'failed',
              total: 1,
              synced: 0,
              failed: 1,
              durationMs: 185_000,
            }),
          ],
          nextCursor: null,
        }),
      },
    )
    const list = await screen.findByRole('list', { name: 'Syncs, newest first' })
    const [first, second, third] = within(list)
    expect(text(first)).toContain('Bulk sync')
    expect(first!.querySelector('.pill')!.className).toBe('pill warn')
    expect(text(first)).toContain('Partly failed')
    expect(text(first)).toMatch(/22 Nov 2026, \d\d:\d\d \(5 minutes ago\)/)
    expect(first!.querySelector('time')!.getAttribute('datetime')).toBe(minutesAgo(5))
    expect(text(first)).toContain('Xero · Brightwater Ltd')
    expect(text(first)).toContain('37 invoices: 35 synced, 2 failed · Took 12 seconds')
    expect(text(second)).toContain('Payment recorded')
    expect(text(second)).toContain('Succeeded')
    expect(text(second!.querySelector('time'))).toMatch(/^2 Nov 2026, \d\d:\d\d$/) // no "26 days ago"
    expect(text(second)).toContain('QuickBooks · Brightwater Inc')
    expect(text(second)).toContain('1 payment: 1 synced, 0 failed · Took under a second')
    expect(text(third)).toContain('Posted by hand')
    expect(third!.querySelector('.pill')!.className).toBe('pill bad')
    expect(text(third)).toContain('Took 3 minutes')
    // Only runs where something failed offer their failures, named for a screen reader.
    const buttons = screen.getAllByRole('button', { name: /^What failed/ })
    expect(buttons).toHaveLength(2)
    expect(buttons[0]!.textContent).toMatch(/^What failed: Bulk sync, 22 Nov 2026/)
  })

  it('writes dates and spellings the American way for en-US', async () => {
    const { screen } = renderHistory({}, { list: () => PAGE }, 'en-US')
    const list = await screen.findByRole('list', { name: 'Syncs, newest first' })
    expect(text(list)).toMatch(/Nov 22, 2026, \d{1,2}:\d\d [AP]M \(5 minutes ago\)/)
    expect(screen.getByLabelText('Search').getAttribute('placeholder')).toBe(
      'Number, name, error or organization',
    )
  })

  it('says so while it loads, and in plain words when there are no syncs at all', async () => {
    let answer!: (v: unknown) => void
    const { screen, root } = renderHistory({}, { list: () => new Promise((r) => (answer = r)) })
    expect(screen.getByText('Loading the sync history…')).toBeTruthy()
    expect(root.querySelector('section')!.getAttribute('aria-busy')).toBe('true')
    answer({ data: [], nextCursor: null })
    expect(await screen.findByText('No syncs yet')).toBeTruthy()
    expect(root.querySelector('section')!.getAttribute('aria-busy')).toBe('false')
    expect(screen.getByRole('region', { name: 'Sync history' })).toBeTruthy()
  })

  it('says no syncs match when filters are set', async () => {
    const { screen } = renderHistory({ status: 'failed' })
    expect(await screen.findByText('No syncs match these filters')).toBeTruthy()
  })

  it('shows a failed load in the server’s words, with Try again', async () => {
    let fail = true
    const { screen, queries } = renderHistory(
      {},
      {
        list: () =>
          fail
            ? new ApiError('internal', 500, 'req_9', {
                message: 'Something went wrong at LedgerLink.',
                action: 'Try again in a minute.',
              })
            : PAGE,
      },
    )
    expect(await screen.findByText('Something went wrong at LedgerLink.')).toBeTruthy()
    expect(screen.getByText('Try again in a minute.')).toBeTruthy()
    expect(screen.getByText('req_9').tagName).toBe('CODE')
    fail = false
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('list', { name: 'Syncs, newest first' })).toBeTruthy()
    expect(queries()).toHaveLength(2)
  })

  it('says what to do when LedgerLink cannot be reached', async () => {
    const { screen } = renderHistory({}, { list: () => new ApiError('network', 0) })
    expect(await screen.findByText('LedgerLink could not be reached.')).toBeTruthy()
    expect(screen.getByText('Check your internet connection and try again.')).toBeTruthy()
  })

  it('loads more with the last page’s cursor, adds them below and says how many', async () => {
    const { screen, queries, announce } = renderHistory(
      {},
      {
        list: (q) =>
          q.get('cursor') === 'c2'
            ? { data: [run({ id: 'hst_9', organisation: 'Older Ltd' })], nextCursor: null }
            : { data: [run()], nextCursor: 'c2' },
      },
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }))
    expect(await screen.findByText('Older Ltd')).toBeTruthy()
    expect(queries()).toEqual([{ limit: '25' }, { limit: '25', cursor: 'c2' }])
    expect(within(screen.getByRole('list'))).toHaveLength(2)
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull()
    expect(announce).toHaveBeenCalledWith('1 more sync shown.')
  })
})

function within(list: HTMLElement) {
  return [...list.children] as HTMLElement[]
}

describe('filters', () => {
  it('sends each filter in the query, as labelled controls', async () => {
    const { screen, queries } = renderHistory()
    await screen.findByText('No syncs yet')
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'partial' } })
    fireEvent.change(screen.getByLabelText('Records'), { target: { value: 'credit_note' } })
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01' } })
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-20' } })
    fireEvent.input(screen.getByLabelText('Search'), { target: { value: '  INV-0042 ' } })
    expect(queries()).toHaveLength(5) // typing does not search
    fireEvent.submit(screen.getByRole('search', { name: 'Filter the sync history' }))
    await waitFor(() => expect(queries()).toHaveLength(6))
    expect(queries()).toEqual([
      { limit: '25' },
      { status: 'partial', limit: '25' },
      { status: 'partial', kind: 'credit_note', limit: '25' },
      { status: 'partial', kind: 'credit_note', from: '2026-11-01', limit: '25' },
      { status: 'partial', kind: 'credit_note', from: '2026-11-01', to: '2026-11-20', limit: '25' },
      {
        status: 'partial',
        kind: 'credit_note',
        from: '2026-11-01',
        to: '2026-11-20',
        q: 'INV-0042',
        limit: '25',
      },
    ])
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } })
    await waitFor(() =>
      expect(queries().at(-1)).toEqual({
        kind: 'credit_note',
        from: '2026-11-01',
        to: '2026-11-20',
        q: 'INV-0042',
        limit: '25',
      }),
    )
  })

  it('takes kind and status from the attributes (the sync button’s spelling too), and follows them', async () => {
    const { screen, queries, setAttributes } = renderHistory({ kind: 'credit-notes', status: 'failed' })
    await screen.findByText('No syncs match these filters')
    expect(queries()).toEqual([{ status: 'failed', kind: 'credit_note', limit: '25' }])
    expect(screen.getByLabelText<HTMLSelectElement>('Status').value).toBe('failed')
    expect(screen.getByLabelText<HTMLSelectElement>('Records').value).toBe('credit_note')
    setAttributes({ kind: 'payment', status: 'nonsense' })
    await waitFor(() => expect(queries().at(-1)).toEqual({ kind: 'payment', limit: '25' }))
  })

  it('drops an answer that a newer filter overtook', async () => {
    let first!: (v: unknown) => void
    const { screen } = renderHistory(
      {},
      {
        list: (q) =>
          q.get('status')
            ? { data: [run({ organisation: 'Newer Ltd' })], nextCursor: null }
            : new Promise((r) => (first = r)),
      },
    )
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } })
    expect(await screen.findByText('Newer Ltd')).toBeTruthy()
    first({ data: [run({ organisation: 'Older Ltd' })], nextCursor: null })
    await new Promise((r) => setTimeout(r, 10))
    expect(screen.queryByText('Older Ltd')).toBeNull()
  })
})

describe('a run’s failures', () => {
  async function openFirst(routes: Parameters<typeof renderHistory>[1] = {}) {
    const r = renderHistory({}, { list: () => PAGE, ...routes })
    const button = await r.screen.findByRole('button', { name: /^What failed/ })
    button.focus()
    fireEvent.click(button)
    await r.screen.findByText('INV-0042', { selector: 'strong' })
    await waitFor(() => expect(r.root.activeElement?.tagName).toBe('H3'))
    return { ...r, button }
  }

  it('shows every failed record in a bookkeeper’s words, the provider’s, and the reference for support', async () => {
    const { screen, api, root } = await openFirst()
    expect(api.request).toHaveBeenCalledWith('GET', '/v1/sync/history/hst_1')
    const [first, second] = within(root.querySelector('.items')!)
    expect(text(first)).toContain('The category “Consulting” has no account in Xero.')
    expect(text(first)).toContain('Choose its account in the settings, then retry.')
    expect(text(first)).toContain('Xero said: “AccountCode is not valid”')
    expect(first!.querySelector('code')!.textContent).toBe('corr-7f3a')
    expect(text(first)).toContain('Support reference: corr-7f3a')
    expect(text(first!.querySelector('.pill'))).toBe('Now: Error')
    expect(text(second!.querySelector('.pill'))).toBe('Now: Synced')
    // Fixed since: nothing to retry there.
    expect(screen.getAllByRole('button', { name: /^Retry INV/ }).map((b) => b.textContent)).toEqual([
      'Retry INV-0042',
    ])
    expect(screen.getByRole('button', { name: 'Retry all' })).toBeTruthy()
    // The list is out of the way (and out of the accessibility tree) while a run is open.
    expect(screen.getByRole('search', { hidden: true }).closest('[hidden]')).toBeTruthy()
  })

  it('moves focus to the run, and Back returns it to the button that opened it', async () => {
    const { screen, root, button } = await openFirst()
    await waitFor(() => expect(root.activeElement?.tagName).toBe('H3'))
    expect(root.activeElement!.textContent).toBe('Bulk sync')
    fireEvent.click(screen.getByRole('button', { name: /All syncs/ }))
    await waitFor(() => expect(root.activeElement).toBe(button))
    expect(screen.getByRole('list', { name: 'Syncs, newest first' })).toBeTruthy()
  })

  it('retries one record: says so, refreshes the run and the list', async () => {
    let fixed = false
    const { screen, posts, announce, queries, root } = await openFirst({
      get: () => (fixed ? detail({ items: [item({ now: 'pending' })] }) : detail()),
      retry: () => ((fixed = true), { retried: 1, jobIds: ['job_1'] }),
    })
    const retry = screen.getByRole('button', { name: 'Retry INV-0042' })
    retry.focus()
    expect(root.activeElement).toBe(retry)
    fireEvent.click(retry)
    await waitFor(() => expect(text(root.querySelector('.items .pill'))).toBe('Now: Pending'))
    expect(posts()).toEqual(['/v1/sync/history/hst_1/items/invoice/inv_42/retry'])
    expect(announce).toHaveBeenCalledWith('1 invoice is being sent again.')
    expect(queries()).toHaveLength(2)
    // Its Retry is gone with it: focus is not left on nothing.
    expect(screen.queryByRole('button', { name: 'Retry INV-0042' })).toBeNull()
    await waitFor(() => expect(root.activeElement?.tagName).toBe('H3'))
  })

  it('retries all of them through the run’s route', async () => {
    const { screen, posts, announce, queries } = await openFirst({
      retry: () => ({ retried: 3, jobIds: ['job_1'] }),
    })
    fireEvent.click(screen.getByRole('button', { name: 'Retry all' }))
    await waitFor(() => expect(announce).toHaveBeenCalledWith('3 invoices are being sent again.'))
    expect(posts()).toEqual(['/v1/sync/history/hst_1/retry'])
    await waitFor(() => expect(queries()).toHaveLength(2))
  })

  it('shows and says the server’s words when a retry is refused', async () => {
    const { screen, announce } = await openFirst({
      retry: () =>
        new ApiError('sync_disabled', 409, 'req_4', {
          message: 'Syncing invoices is turned off.',
          action: 'An admin can turn it on in the settings.',
        }),
    })
    fireEvent.click(screen.getByRole('button', { name: 'Retry INV-0042' }))
    expect(await screen.findByText('Syncing invoices is turned off.')).toBeTruthy()
    expect(screen.getByText('An admin can turn it on in the settings.')).toBeTruthy()
    expect(announce).toHaveBeenCalledWith(
      'Syncing invoices is turned off. An admin can turn it on in the settings.',
    )
    expect(screen.getByRole('button', { name: 'Retry INV-0042' })).toBeTruthy()
  })

  it('says when a run has nothing that failed', async () => {
    const { screen } = renderHistory(
      { run: 'hst_5' },
      { get: () => detail({ id: 'hst_5', status: 'succeeded', items: [] }) },
    )
    expect(await screen.findByText('Nothing failed in this sync.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Retry all' })).toBeNull()
  })
})

describe('opening a run at once', () => {
  it('opens the run named by the `run` attribute (a bulk run’s id), without taking the focus', async () => {
    const { screen, api, root } = renderHistory({ run: 'run_7' }, { get: (id) => detail({ id }) })
    expect(await screen.findByText('INV-0042', { selector: 'strong' })).toBeTruthy()
    expect(api.request).toHaveBeenCalledWith('GET', '/v1/sync/history/run_7')
    await new Promise((r) => setTimeout(r, 20)) // effects have run
    expect(root.activeElement).toBeNull()
    // Back goes to the list, focus on its heading (no button opened this run).
    fireEvent.click(screen.getByRole('button', { name: /All syncs/ }))
    await waitFor(() => expect(root.activeElement?.textContent).toBe('Sync history'))
  })

  it('opens the run of a #ledgerlink-run= link, on load and when the fragment changes', async () => {
    history.replaceState(null, '', '/invoices#ledgerlink-run=hst_3')
    const { api, screen } = renderHistory()
    await screen.findByText('INV-0042', { selector: 'strong' })
    expect(api.request).toHaveBeenCalledWith('GET', '/v1/sync/history/hst_3')
    location.hash = '#ledgerlink-run=hst_4'
    window.dispatchEvent(new Event('hashchange'))
    await waitFor(() => expect(api.request).toHaveBeenCalledWith('GET', '/v1/sync/history/hst_4'))
  })

  it('says so when the run cannot be opened, in the server’s words', async () => {
    const { screen } = renderHistory(
      { run: 'hst_404' },
      {
        get: () =>
          new ApiError('not_found', 404, 'req_1', {
            message: 'No such sync in the history.',
            action: 'Check the link.',
          }),
      },
    )
    expect(await screen.findByRole('heading', { name: 'No such sync in the history.' })).toBeTruthy()
    expect(screen.getByText('Check the link.')).toBeTruthy()
  })
})

describe('hostile text', () => {
  it('renders script tags, RTL, emoji and 10,000 characters as inert, wrapping text', async () => {
    const script = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const long = 'W'.repeat(10_000)
    const rtl = 'شركة النور 🧾'
    const { screen, root } = renderHistory(
      { run: 'hst_1' },
      {
        list: () => ({ data: [run({ organisation: rtl })], nextCursor: null }),
        get: () =>
          detail({
            items: [item({ label: script, message: long, providerMessage: rtl, correlationId: script })],
          }),
      },
    )
    expect(await screen.findByText(script, { selector: 'strong' })).toBeTruthy()
    expect(root.querySelector('script, img')).toBeNull()
    const label = screen.getByText(script, { selector: 'strong' })
    expect(label.getAttribute('dir')).toBe('auto')
    expect(screen.getByText(long).getAttribute('dir')).toBe('auto')
    expect(screen.getByText(rtl, { selector: '.items span' }).getAttribute('dir')).toBe('auto')
    expect(screen.getByText(rtl, { selector: '.runs span', ignore: false }).getAttribute('dir')).toBe('auto')
    expect(getComputedStyle(root.querySelector('section')!).overflowWrap).toBe('anywhere')
  })
})
