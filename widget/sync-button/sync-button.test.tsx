// @vitest-environment happy-dom
import { cleanup, fireEvent } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/api-error.ts'
import { serverError } from '../test-support.tsx'
import { RUN_ID, answers, preview, renderSyncButton, run } from './test-support.tsx'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  document.body.replaceChildren()
  vi.useRealTimers()
})

const RUN = `/v1/sync/bulk/${RUN_ID}`
const PREVIEW = 'GET /v1/sync/bulk/preview?kind=invoices'

describe('a bulk sync from start to end', () => {
  it('says what it would send, starts once confirmed, shows progress, ends in a notification with the failures link', async () => {
    const b = renderSyncButton(
      { kind: 'invoices', historyUrl: '/settings#history' },
      {
        [PREVIEW]: answers(preview()),
        'POST /v1/sync/bulk': answers(run()),
        [`GET ${RUN}`]: answers(run({ done: 120, failed: 3 }), run({ done: 197, failed: 3 })),
      },
      { provider: 'xero' },
    )
    await b.tick()
    expect(b.calls()).toEqual(['GET /v1/sync/bulk?active=true'])
    const sync = b.screen.getByRole('button', { name: 'Sync invoices' })
    sync.focus()
    fireEvent.click(sync)
    await b.tick()

    const confirm = b.screen.getByRole('group', { name: 'Sync invoices' })
    expect(confirm.textContent).toContain(
      'Send 37 invoices and the 12 customers they need to Xero? Those already synced are skipped.',
    )
    const start = b.screen.getByRole('button', { name: 'Start' })
    expect(b.root.activeElement).toBe(start)
    expect(b.calls()).toEqual(['GET /v1/sync/bulk?active=true', PREVIEW])
    fireEvent.click(start)
    await b.tick()

    expect(b.api.request).toHaveBeenLastCalledWith('POST', '/v1/sync/bulk', { kind: 'invoices' })
    expect(b.announce.mock.calls).toEqual([['Syncing 200 invoices to Xero.']])
    const bar = b.screen.getByRole('progressbar', { name: 'Syncing invoices' })
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['0', '200'])
    expect(b.screen.getByText('0 of 200 · 200 remaining')).toBeTruthy()
    // The focus was on Start, which is gone: it goes to the progress.
    expect(b.root.activeElement).toBe(b.screen.getByRole('group', { name: 'Syncing invoices' }))

    await b.tick(1_000)
    expect(b.calls().at(-1)).toBe(`GET ${RUN}`)
    expect(b.screen.getByText('120 of 200 · 3 failed · 77 remaining')).toBeTruthy()
    expect(b.screen.getByRole('progressbar').getAttribute('value')).toBe('123')
    expect(b.screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe(
      '120 of 200 · 3 failed · 77 remaining',
    )
    expect(b.announce).toHaveBeenCalledTimes(1) // polls are not announced
    expect(b.refresh).not.toHaveBeenCalled()

    await b.tick(1_000)
    const ended = '197 invoices synced to Xero, 3 failed.'
    expect(b.screen.getByText(ended)).toBeTruthy()
    expect(b.announce.mock.calls.at(-1)).toEqual([ended])
    expect(b.announce).toHaveBeenCalledTimes(2)
    const link = b.screen.getByRole('link', { name: 'See the invoices that failed' })
    expect(link.getAttribute('href')).toBe(
      new URL(`/settings#ledgerlink-run=${RUN_ID}`, document.baseURI).href,
    )
    expect(b.refresh).toHaveBeenCalledTimes(1)
    expect(b.screen.queryByRole('progressbar')).toBeNull()

    fireEvent.click(b.screen.getByRole('button', { name: 'Dismiss' }))
    await b.tick()
    expect(b.screen.getByRole('button', { name: 'Sync invoices' })).toBeTruthy()
  })

  it('stops reading the run once it has ended: no call after the end', async () => {
    const b = renderSyncButton(
      {},
      {
        [PREVIEW]: answers(preview()),
        'POST /v1/sync/bulk': answers(run()),
        [`GET ${RUN}`]: answers(run({ done: 200 })),
      },
    )
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync invoices' }))
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Start' }))
    await b.tick(1_000)
    // No provider known (no badges loaded): neutral words; no failures, no link.
    expect(b.screen.getByText('200 invoices synced.')).toBeTruthy()
    expect(b.screen.queryByRole('link')).toBeNull()
    const made = b.calls().length
    await b.tick(10_000)
    expect(b.calls()).toHaveLength(made)
    expect(b.calls().filter((c) => c === `GET ${RUN}`)).toHaveLength(1)
    expect(b.announce.mock.calls.map(([t]) => t)).toEqual([
      'Syncing 200 invoices to your accounting software.',
      '200 invoices synced.',
    ])
  })

  it('reads the run one request at a time, and not at all once the button is gone', async () => {
    let pending = 0
    const b = renderSyncButton(
      {},
      {
        'GET /v1/sync/bulk?active=true': answers({ data: [run({ done: 10 })] }),
        [`GET ${RUN}`]: () => (pending++, new Promise(() => {})), // a slow server
      },
    )
    await b.tick()
    await b.tick(5_000)
    expect(pending).toBe(1)
    b.unmount()
    await b.tick(5_000)
    expect(pending).toBe(1)
  })

  it('without history-url, says where the failures are listed', async () => {
    const payments = { kind: 'payments' as const }
    const b = renderSyncButton(
      { kind: 'payments' },
      {
        'GET /v1/sync/bulk?active=true': answers({ data: [run({ total: 8, done: 5 }, payments)] }),
        [`GET ${RUN}`]: answers(run({ total: 8, done: 6, failed: 2 }, payments)),
      },
    )
    await b.tick()
    expect(b.screen.getByText('5 of 8 · 3 remaining')).toBeTruthy()
    await b.tick(1_000)
    expect(b.screen.getByText('6 payments synced, 2 failed.')).toBeTruthy()
    expect(
      b.screen.getByText('The ones that failed are listed in the sync history, in your accounting settings.'),
    ).toBeTruthy()
    expect(b.screen.queryByRole('link')).toBeNull()
  })
})

describe('nothing to send', () => {
  it('says so plainly, with the provider’s name when known, and starts nothing', async () => {
    const zero = preview({ invoices: 0, customers: 0, summary: '0 invoices' })
    const b = renderSyncButton({}, { [PREVIEW]: answers(zero) }, { provider: 'quickbooks' })
    await b.tick()
    const sync = b.screen.getByRole('button', { name: 'Sync invoices' })
    sync.focus()
    fireEvent.click(sync)
    await b.tick()
    const said = 'Everything is already in QuickBooks: no invoices to send.'
    expect(b.screen.getByText(said)).toBeTruthy()
    expect(b.announce.mock.calls).toEqual([[said]])
    expect(b.screen.queryByRole('button', { name: 'Start' })).toBeNull()
    expect(b.calls().filter((c) => c.startsWith('POST'))).toEqual([])
    // The button stays where the focus was.
    expect(b.root.activeElement).toBe(b.screen.getByRole('button', { name: 'Sync invoices' }))
  })

  it('names each kind; credit-notes is the API’s credit_notes; neutral words without a provider', async () => {
    const b = renderSyncButton(
      { kind: 'credit-notes' },
      {
        'GET /v1/sync/bulk/preview?kind=credit_notes': answers(
          preview({ kind: 'credit_notes', invoices: 0, customers: 0, summary: '0 credit notes' }),
        ),
      },
    )
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync credit notes' }))
    await b.tick()
    expect(b.screen.getByText('Nothing to send: every credit note is already synced.')).toBeTruthy()
  })

  it('a run that finds nothing by the time it starts says so too', async () => {
    const b = renderSyncButton(
      { kind: 'customers' },
      {
        'GET /v1/sync/bulk/preview?kind=customers': answers(
          preview({ kind: 'customers', invoices: 0, customers: 3, summary: '3 customers' }),
        ),
        'POST /v1/sync/bulk': answers(run({ total: 0 }, { kind: 'customers' })),
      },
    )
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync customers' }))
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Start' }))
    await b.tick(5_000)
    expect(b.screen.getByText('Nothing to send: every customer is already synced.')).toBeTruthy()
    expect(b.calls().filter((c) => c.startsWith('GET /v1/sync/bulk/run_'))).toEqual([])
    expect(b.refresh).not.toHaveBeenCalled()
  })
})

describe('cancelling', () => {
  it('Cancel in the confirmation (or Escape) starts nothing and gives the focus back', async () => {
    const b = renderSyncButton({}, { [PREVIEW]: answers(preview()) })
    await b.tick()
    b.screen.getByRole('button', { name: 'Sync invoices' }).focus()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync invoices' }))
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Cancel' }))
    await b.tick()
    expect(b.root.activeElement).toBe(b.screen.getByRole('button', { name: 'Sync invoices' }))
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync invoices' }))
    await b.tick()
    fireEvent.keyDown(b.screen.getByRole('button', { name: 'Start' }), { key: 'Escape' })
    await b.tick()
    expect(b.root.activeElement).toBe(b.screen.getByRole('button', { name: 'Sync invoices' }))
    expect(b.calls().filter((c) => c.startsWith('POST'))).toEqual([])
  })

  it('Cancel sync asks no confirmation, says running batches finish, and ends with what was sent (en-US)', async () => {
    const b = renderSyncButton(
      {},
      {
        [PREVIEW]: answers(preview()),
        'POST /v1/sync/bulk': answers(run()),
        [`POST ${RUN}/cancel`]: answers(
          run({ done: 10, cancelled: 140 }, { cancelledAt: '2026-11-22T12:00:30Z' }),
        ),
        [`GET ${RUN}`]: answers(run({ done: 60, cancelled: 140 }, { cancelledAt: '2026-11-22T12:00:30Z' })),
      },
      { locale: 'en-US' },
    )
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync invoices' }))
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Start' }))
    await b.tick()
    const cancel = b.screen.getByRole('button', { name: 'Cancel sync' })
    cancel.focus()
    fireEvent.click(cancel)
    await b.tick()
    expect(b.api.request).toHaveBeenLastCalledWith('POST', `${RUN}/cancel`)
    expect(b.screen.getByText('Canceling… running batches finish.')).toBeTruthy()
    expect(b.screen.getByText('10 of 200 · 140 canceled · 50 remaining')).toBeTruthy()
    expect(b.screen.queryByRole('button', { name: 'Cancel sync' })).toBeNull()
    expect(b.announce.mock.calls.at(-1)).toEqual(['Canceling… running batches finish.'])
    // The focus was on Cancel sync: it stays in the progress.
    expect(b.root.activeElement).toBe(b.screen.getByRole('group', { name: 'Syncing invoices' }))

    await b.tick(1_000)
    const ended = 'Sync canceled: 60 invoices synced, 140 not sent.'
    expect(b.screen.getByText(ended)).toBeTruthy()
    expect(b.announce.mock.calls.map(([t]) => t)).toEqual([
      'Syncing 200 invoices to your accounting software.',
      'Canceling… running batches finish.',
      ended,
    ])
    expect(b.refresh).toHaveBeenCalledTimes(1)
    await b.tick(5_000)
    expect(b.calls().filter((c) => c === `GET ${RUN}`)).toHaveLength(1)
  })
})

describe('a run started elsewhere', () => {
  it('is followed on mount when it is of the button’s kind; others are left alone; nothing is said or focused', async () => {
    const other = run({ total: 40, done: 4 }, { id: 'run_customers1', kind: 'customers' })
    const b = renderSyncButton(
      { kind: 'invoices' },
      {
        'GET /v1/sync/bulk?active=true': answers({ data: [other, run({ done: 50 })] }),
        [`GET ${RUN}`]: answers(run({ done: 80 }), run({ done: 200 })),
      },
      { provider: 'sage' },
    )
    await b.tick()
    expect(b.screen.getByText('50 of 200 · 150 remaining')).toBeTruthy()
    expect(b.screen.queryByRole('button', { name: 'Sync invoices' })).toBeNull()
    expect(b.announce).not.toHaveBeenCalled()
    expect(b.root.activeElement).toBeNull()
    await b.tick(1_000)
    expect(b.screen.getByText('80 of 200 · 120 remaining')).toBeTruthy()
    await b.tick(1_000)
    expect(b.screen.getByText('200 invoices synced to Sage Accounting.')).toBeTruthy()
    expect(b.announce.mock.calls).toEqual([['200 invoices synced to Sage Accounting.']])
    expect(b.root.activeElement).toBeNull()
    expect(b.calls()).not.toContain('GET /v1/sync/bulk/run_customers1')
  })

  it('a failed look-up leaves the button as on a fresh page', async () => {
    const b = renderSyncButton({}, { 'GET /v1/sync/bulk?active=true': answers(new ApiError('network', 0)) })
    await b.tick()
    expect(b.screen.getByRole('button', { name: 'Sync invoices' })).toBeTruthy()
    expect(b.announce).not.toHaveBeenCalled()
  })
})

describe('errors', () => {
  it('are shown in the server’s words, with its reference and Try again', async () => {
    const b = renderSyncButton({}, { [PREVIEW]: answers(serverError('no_connection', 'req_42'), preview()) })
    await b.tick()
    b.screen.getByRole('button', { name: 'Sync invoices' }).focus()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync invoices' }))
    await b.tick()
    expect(b.screen.getByText('No accounting software is connected.')).toBeTruthy()
    expect(b.screen.getByText('Connect Xero, QuickBooks or Sage first.')).toBeTruthy()
    expect(b.screen.getByText('req_42')).toBeTruthy()
    expect(b.announce.mock.calls).toEqual([
      ['No accounting software is connected. Connect Xero, QuickBooks or Sage first.'],
    ])
    const again = b.screen.getByRole('button', { name: 'Try again' })
    expect(b.root.activeElement).toBe(again)
    fireEvent.click(again)
    await b.tick()
    expect(b.calls().filter((c) => c === PREVIEW)).toHaveLength(2)
    expect(b.screen.getByRole('button', { name: 'Start' })).toBeTruthy()
  })

  it('a refused start (sync turned off) and a network failure say so; Try again starts again', async () => {
    const b = renderSyncButton(
      {},
      {
        [PREVIEW]: answers(preview()),
        'POST /v1/sync/bulk': answers(serverError('sync_disabled'), new ApiError('network', 0), run()),
      },
    )
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync invoices' }))
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Start' }))
    await b.tick()
    expect(b.screen.getByText('Sync is turned off for this account.')).toBeTruthy()
    fireEvent.click(b.screen.getByRole('button', { name: 'Try again' }))
    await b.tick()
    expect(b.screen.getByText('LedgerLink could not be reached.')).toBeTruthy()
    expect(b.screen.getByText('Check your internet connection and try again.')).toBeTruthy()
    fireEvent.click(b.screen.getByRole('button', { name: 'Try again' }))
    await b.tick()
    expect(b.calls().filter((c) => c === 'POST /v1/sync/bulk')).toHaveLength(3)
    expect(b.screen.getByRole('progressbar')).toBeTruthy()
  })

  it('a failed read of the run keeps the run: Try again follows it on', async () => {
    const b = renderSyncButton(
      {},
      {
        'GET /v1/sync/bulk?active=true': answers({ data: [run({ done: 10 })] }),
        [`GET ${RUN}`]: answers(new ApiError('network', 0), run({ done: 20 })),
      },
    )
    await b.tick()
    await b.tick(1_000)
    expect(b.screen.getByText('LedgerLink could not be reached.')).toBeTruthy()
    expect(b.screen.getByText('Check your internet connection and try again.')).toBeTruthy()
    await b.tick(5_000)
    expect(b.calls().filter((c) => c === `GET ${RUN}`)).toHaveLength(1) // no reading behind the error
    fireEvent.click(b.screen.getByRole('button', { name: 'Try again' }))
    await b.tick()
    expect(b.screen.getByText('20 of 200 · 180 remaining')).toBeTruthy()
  })

  it('hostile text from the server renders as text', async () => {
    const hostile = `<script>alert(1)</script> \u202Eevil 🧾 ${'x'.repeat(10_000)}`
    const b = renderSyncButton(
      {},
      { [PREVIEW]: answers(serverError('internal', 'req_1', [], hostile), preview()) },
    )
    await b.tick()
    fireEvent.click(b.screen.getByRole('button', { name: 'Sync invoices' }))
    await b.tick()
    expect(b.root.querySelector('script')).toBeNull()
    const shown = b.screen.getByText(hostile)
    expect(shown.getAttribute('dir')).toBe('auto')
  })
})
