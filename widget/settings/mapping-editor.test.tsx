// @vitest-environment happy-dom
import { cleanup, fireEvent, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { MEMBER, connection, serverError } from '../test-support.tsx'
import { chart, entry, mapped, proposed, renderSettings, view } from './test-support.tsx'

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

const STALE = {
  state: 'stale' as const,
  current: { ref: 'acc_old', label: 'Old Sales (205)', problem: 'is archived in your accounting software' },
}
// Labour has nothing (and the default neither, so it blocks sending), Materials went stale,
// Equipment is mapped; a proposal for the default, a tax code, and the payment account.
const MIXED = view([
  entry('category_account', 'Labour', { blocksPush: true, ...proposed('acc_sales', 'Sales (200)') }),
  entry('category_account', 'Materials', { ...STALE, blocksPush: true }),
  entry('category_account', 'Equipment', mapped('acc_consult', 'Consulting Income (210)')),
  entry('default_account', '*', proposed('acc_sales', 'Sales (200)')),
  entry('tax_rate', 'VAT20', {
    localRate: '20',
    blocksPush: true,
    ...proposed('tax_20', 'VAT on Income', 'The same rate (20%)'),
  }),
  entry('payment_account', '*', mapped('acc_bank', 'Business Bank (090)')),
])

async function openMappings(...args: Parameters<typeof renderSettings>) {
  const panel = renderSettings(...args)
  await panel.open('Account mappings')
  await panel.screen.findByRole('heading', { name: 'Income accounts' })
  const row = (name: string) => panel.screen.getByRole('listitem', { name })
  const menu = (name: RegExp | string) => panel.screen.getByRole<HTMLSelectElement>('combobox', { name })
  const options = (select: HTMLSelectElement) => [...select.options].map((o) => o.textContent)
  return { ...panel, row, menu, options }
}

describe('the mapping editor', () => {
  it('loads on first opening, saying so meanwhile', async () => {
    const { screen, open, api } = renderSettings({ fail: { 'GET /v1/mappings': 'hang' } })
    await screen.findByText('Brightwater Ltd')
    await open('Account mappings')
    expect(await screen.findByText('Loading the account mappings…')).toBeTruthy()
    await waitFor(() => expect(api.request).toHaveBeenCalledWith('GET', '/v1/mappings/chart'))
    expect(api.request).toHaveBeenCalledWith('GET', '/v1/mappings')
  })

  it('groups the mappings, with what each is for, and says what blocks sending', async () => {
    const { screen, row } = await openMappings({ mappings: MIXED })
    expect(screen.getAllByRole('heading', { level: 4 }).map((h) => h.textContent)).toEqual([
      'Income accounts',
      'Default income account',
      'Tax rates',
      'Payment account',
    ])
    expect(
      screen.getByText('Some invoices cannot be sent until the mappings marked “Blocks sending” are chosen.'),
    ).toBeTruthy()
    expect(row('Labour').textContent).toContain('Blocks sending')
    expect(row('Labour').textContent).toContain('Invoices that need it are not sent until it is chosen.')
    expect(row('Equipment').textContent).toContain('Mapped')
    expect(row('VAT20 (20% on your invoices)')).toBeTruthy()
    expect(row('Payments received').textContent).toContain('Mapped')
    expect(screen.getByText('Chart of accounts read 10 minutes ago.')).toBeTruthy()
  })

  it('marks a stale mapping with its problem', async () => {
    const { row } = await openMappings({ mappings: MIXED })
    const materials = row('Materials')
    expect(materials.textContent).toContain('Needs a new choice')
    expect(
      within(materials).getByText('“Old Sales (205)” is archived in your accounting software.'),
    ).toBeTruthy()
  })

  it('offers only what the chart allows: active revenue accounts, accounts for payments, active tax rates', async () => {
    const { menu, options } = await openMappings({ mappings: MIXED })
    expect(options(menu('The account for Labour'))).toEqual([
      'Choose an account…',
      'Sales (200)',
      'Consulting Income (210)',
    ])
    expect(options(menu('The account for Payments received'))).toEqual(['Business Bank (090)'])
    expect(options(menu(/^The tax rate for VAT20/))).toEqual([
      'Choose a tax rate…',
      'VAT on Income (20%)',
      'Zero Rated (0%)',
    ])
    // The stale choice stays shown as what is mapped now, until another is chosen.
    expect(menu('The account for Materials').value).toBe('acc_old')
  })

  it('maps a category by searching the chart, then saves it with PUT', async () => {
    const answer = view([
      entry('category_account', 'Labour', mapped('acc_consult', 'Consulting Income (210)')),
    ])
    const { screen, menu, options, row, sent, live } = await openMappings({
      mappings: MIXED,
      afterPut: answer,
    })
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search accounts for Labour' }), {
      target: { value: 'consul' },
    })
    const labour = menu('The account for Labour')
    expect(options(labour)).toEqual(['Choose an account…', 'Consulting Income (210)'])
    expect(live()).toBe('1 match.')
    fireEvent.change(labour, { target: { value: 'acc_consult' } })
    expect(row('Labour').textContent).toContain('Changed, not saved')
    expect(screen.getByText('1 change not saved yet.')).toBeTruthy()
    expect(sent('PUT', '/v1/mappings')).toEqual([])

    fireEvent.click(screen.getByRole('button', { name: 'Save mappings' }))
    await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy())
    expect(sent('PUT', '/v1/mappings')).toEqual([
      { mappings: [{ kind: 'category_account', key: 'Labour', ref: 'acc_consult' }] },
    ])
    expect(row('Labour').textContent).toContain('Mapped')
    expect(live()).toBe('Mappings saved. Everything your invoices need is mapped.')
    expect(screen.getByText('Everything your invoices need is mapped.')).toBeTruthy()
  })

  it('applies a suggestion only when the admin clicks it, and saves it like any choice', async () => {
    const { screen, menu, row, sent } = await openMappings({ mappings: MIXED })
    const labour = row('Labour')
    expect(
      within(labour).getByText('Suggested: Sales (200) (Your organisation’s sales account).'),
    ).toBeTruthy()
    expect(menu('The account for Labour').value).toBe('')
    await new Promise((r) => setTimeout(r, 20))
    expect(sent('PUT', '/v1/mappings')).toEqual([])

    fireEvent.click(within(labour).getByRole('button', { name: 'Use Sales (200)' }))
    expect(menu('The account for Labour').value).toBe('acc_sales')
    expect(within(row('Labour')).queryByRole('button', { name: 'Use Sales (200)' })).toBeNull()
    expect(menu('The account for Any other category').value).toBe('')
    expect(sent('PUT', '/v1/mappings')).toEqual([])

    fireEvent.click(screen.getByRole('button', { name: 'Use all suggestions (2)' }))
    expect(menu('The account for Any other category').value).toBe('acc_sales')
    expect(screen.getByText('3 changes not saved yet.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Save mappings' }))
    await waitFor(() => expect(sent('PUT', '/v1/mappings')).toHaveLength(1))
    expect(sent('PUT', '/v1/mappings')[0]).toEqual({
      mappings: [
        { kind: 'category_account', key: 'Labour', ref: 'acc_sales' },
        { kind: 'default_account', key: '*', ref: 'acc_sales' },
        { kind: 'tax_rate', key: 'VAT20', ref: 'tax_20' },
      ],
    })
  })

  it('a failed save shows the server’s words and keeps the choices', async () => {
    const refused = serverError(
      'validation_failed',
      'req_77',
      [{ path: 'mappings.0.ref', message: '“Sales (200)” is archived in your accounting software' }],
      'Some mappings cannot be saved, so none were changed.',
    )
    const { screen, row, sent } = await openMappings({
      mappings: MIXED,
      fail: { 'PUT /v1/mappings': refused },
    })
    fireEvent.click(within(row('Labour')).getByRole('button', { name: 'Use Sales (200)' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save mappings' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Some mappings cannot be saved, so none were changed.')
    expect(alert.textContent).toContain('“Sales (200)” is archived in your accounting software')
    expect(alert.textContent).toContain('Support reference: req_77')
    expect(sent('PUT', '/v1/mappings')).toHaveLength(1)
    expect(screen.getByText('1 change not saved yet.')).toBeTruthy()
    expect(row('Labour').textContent).toContain('Changed, not saved')
  })

  it('refreshes the chart of accounts, then the mappings against it', async () => {
    const refreshed = chart({
      accounts: [
        ...chart().accounts,
        { ...chart().accounts[0]!, id: 'acc_new', code: '220', name: 'Repairs Income' },
      ],
      fetchedAt: '2026-11-22T12:00:00Z',
    })
    const { screen, menu, options, api, live, server } = await openMappings({ mappings: MIXED, refreshed })
    server.mappings = view(MIXED.entries, { chartFetchedAt: '2026-11-22T12:00:00Z' })
    fireEvent.click(screen.getByRole('button', { name: 'Refresh the chart of accounts' }))
    await waitFor(() => expect(live()).toBe('Chart of accounts refreshed.'))
    const calls = api.request.mock.calls.map(([m, p]) => `${m} ${p}`)
    expect(calls.slice(-2)).toEqual(['POST /v1/mappings/chart/refresh', 'GET /v1/mappings'])
    expect(options(menu('The account for Labour'))).toContain('Repairs Income (220)')
    expect(screen.getByText('Chart of accounts read now.')).toBeTruthy()
  })

  it('lets members read the mappings, without a control to change them', async () => {
    const { screen, row } = await openMappings({ mappings: MIXED }, { status: { user: MEMBER } })
    expect(screen.queryAllByRole('combobox')).toHaveLength(0)
    expect(screen.queryAllByRole('searchbox')).toHaveLength(0)
    expect(screen.queryByRole('button', { name: /^Use|Save|Refresh/ })).toBeNull()
    expect(within(row('Equipment')).getByText('Consulting Income (210)')).toBeTruthy()
    expect(within(row('Labour')).getByText('Not chosen')).toBeTruthy()
    expect(within(row('Labour')).getByText(/^Suggested: Sales \(200\)/)).toBeTruthy()
    expect(
      screen.getByText(
        'Only an admin of Brightwater Field Services can change the mappings of this organisation.',
      ),
    ).toBeTruthy()
  })

  it('a failed load shows the server’s words', async () => {
    const { screen, open } = renderSettings({
      fail: { 'GET /v1/mappings': serverError('provider_unavailable', 'req_5') },
    })
    await open('Account mappings')
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Your accounting software cannot be reached right now.')
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy()
  })

  it('renders hostile category names as inert, readable text', async () => {
    const hostile = '<img src=x onerror=alert(1)>שלום 🧾'
    const { root, row } = await openMappings({ mappings: view([entry('category_account', hostile)]) })
    expect(root.querySelector('img')).toBeNull()
    const key = within(row(hostile)).getByText(hostile)
    expect(key.getAttribute('dir')).toBe('auto')
  })

  it('is not offered for an expired connection', async () => {
    const { screen } = renderSettings({}, { status: { connection: connection({ status: 'expired' }) } })
    expect(await screen.findByRole('button', { name: 'Sync settings' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Account mappings' })).toBeNull()
  })
})

describe('QuickBooks products and services', () => {
  const ITEMS = chart({
    provider: 'quickbooks',
    items: [
      { id: 'itm_mat', name: 'Materials', incomeAccountId: 'acc_sales', active: true },
      { id: 'itm_gone', name: 'Old service', incomeAccountId: null, active: false },
    ],
  })
  const QB = view(
    [
      entry('category_account', 'Labour', mapped('acc_sales', 'Sales (200)')),
      entry('category_item', 'Labour', { blocksPush: true }),
      entry('category_item', 'Materials', {
        blocksPush: true,
        ...proposed('itm_mat', 'Materials', 'Named like the category'),
      }),
    ],
    { provider: 'quickbooks' },
  )

  it('offers the active items, and creates one for a category that has none', async () => {
    const created = {
      item: { id: 'itm_lab', name: 'Labour', incomeAccountId: 'acc_sales', active: true },
      mappings: view(
        [QB.entries[0]!, entry('category_item', 'Labour', mapped('itm_lab', 'Labour')), QB.entries[2]!],
        { provider: 'quickbooks' },
      ),
    }
    const { screen, menu, options, sent, live } = await openMappings({ mappings: QB, chart: ITEMS, created })
    expect(screen.getByRole('heading', { name: 'QuickBooks products and services' })).toBeTruthy()
    const items = screen
      .getAllByRole('list')
      .find((l) => l.closest('section')?.textContent?.includes('QuickBooks'))!
    const labour = within(items).getByRole('listitem', { name: 'Labour' })
    expect(options(within(labour).getByRole<HTMLSelectElement>('combobox'))).toEqual([
      'Choose a product or service…',
      'Materials',
    ])
    // Materials has an item named like it: suggested, not created.
    expect(
      within(within(items).getByRole('listitem', { name: 'Materials' })).queryByRole('button', {
        name: /^Create/,
      }),
    ).toBeNull()

    fireEvent.click(within(labour).getByRole('button', { name: 'Create “Labour” in QuickBooks' }))
    await waitFor(() =>
      expect(live()).toBe('Created the product or service Labour in QuickBooks and chose it for Labour.'),
    )
    expect(sent('POST', '/v1/mappings/items')).toEqual([{ category: 'Labour' }])
    const after = within(items).getByRole('listitem', { name: 'Labour' })
    expect(after.textContent).toContain('Mapped')
    expect(within(after).getByRole<HTMLSelectElement>('combobox').value).toBe('itm_lab')
    expect(menu('The product or service for Labour').value).toBe('itm_lab')
  })

  it('a refused creation shows the server’s words', async () => {
    const refused = serverError(
      'conflict',
      'req_9',
      [],
      'A product or service named “Labour” already exists: choose it for “Labour” instead.',
    )
    const { screen, sent } = await openMappings({
      mappings: QB,
      chart: ITEMS,
      fail: { 'POST /v1/mappings/items': refused },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Create “Labour” in QuickBooks' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('A product or service named “Labour” already exists')
    expect(sent('POST', '/v1/mappings/items')).toHaveLength(1)
  })
})

describe('en-US', () => {
  it('says organization', async () => {
    const { screen } = await openMappings({ mappings: MIXED }, { status: { user: MEMBER }, locale: 'en-US' })
    expect(
      screen.getByText(
        'Only an admin of Brightwater Field Services can change the mappings of this organization.',
      ),
    ).toBeTruthy()
  })
})
