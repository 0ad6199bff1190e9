// @vitest-environment happy-dom
import { cleanup, fireEvent, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { MEMBER, serverError } from '../test-support.tsx'
import { HISTORY_DAYS_MAX as SERVER_MAX } from '../../shared/settings.ts'
import { HISTORY_DAYS_MAX } from './sync-settings.tsx'
import { SETTINGS, renderSettings } from './test-support.tsx'

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

const LABELS = [
  'Sync',
  'Invoices',
  'Credit notes',
  'Payments',
  'Customers',
  'Send invoices when they are marked as sent',
]

describe('sync settings', () => {
  it('load only when opened, saying so meanwhile', async () => {
    const { screen, open, api } = renderSettings({ fail: { 'GET /v1/settings': 'hang' } })
    expect(await screen.findByText('Brightwater Ltd')).toBeTruthy()
    expect(api.request).not.toHaveBeenCalled()
    const toggle = screen.getByRole('button', { name: 'Sync settings' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    await open('Sync settings')
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(await screen.findByText('Loading the settings…')).toBeTruthy()
    await waitFor(() => expect(api.request).toHaveBeenCalledWith('GET', '/v1/settings'))
  })

  it('shows each switch as a labelled switch with a line saying what it does', async () => {
    const { screen, open } = renderSettings()
    await open('Sync settings')
    const switches = await screen.findAllByRole('switch')
    expect(switches.map((s) => s.closest('label')!.textContent)).toEqual(LABELS)
    const sync = screen.getByRole<HTMLInputElement>('switch', {
      name: 'Sync',
      description: 'Off: nothing new goes to Xero. Anything waiting is kept and goes when sync is back on.',
    })
    expect(sync.checked).toBe(true)
    expect(sync.disabled).toBe(false)
    expect(
      screen.getByRole('switch', {
        name: 'Customers',
        description: 'Send customer changes on their own. An invoice always brings the customer it needs.',
      }),
    ).toBeTruthy()
    const days = screen.getByRole<HTMLInputElement>('spinbutton', {
      name: 'Keep the sync history for (days)',
    })
    expect([days.value, days.min, days.max]).toEqual(['90', '1', '3650'])
  })

  it('lets members read them, without changing anything', async () => {
    const { screen, open } = renderSettings(
      { settings: { ...SETTINGS, payments: false } },
      { status: { user: MEMBER } },
    )
    await open('Sync settings')
    const payments = await screen.findByRole<HTMLInputElement>('switch', { name: 'Payments' })
    expect(payments.checked).toBe(false)
    expect(screen.getAllByRole<HTMLInputElement>('switch').every((s) => s.disabled)).toBe(true)
    expect(screen.getByRole<HTMLInputElement>('spinbutton').disabled).toBe(true)
    expect(screen.getByText('Only an admin of Brightwater Field Services can change these.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull()
  })

  it('an admin turns a switch off: one PATCH of that switch, the answer shown, said aloud', async () => {
    const { screen, open, sent, live } = renderSettings()
    await open('Sync settings')
    const payments = await screen.findByRole<HTMLInputElement>('switch', { name: 'Payments' })
    fireEvent.click(payments)
    await waitFor(() => expect(live()).toBe('Sync settings saved.'))
    expect(sent('PATCH', '/v1/settings')).toEqual([{ payments: false }])
    expect(payments.checked).toBe(false)
    expect(screen.getByRole<HTMLInputElement>('switch', { name: 'Invoices' }).checked).toBe(true)
  })

  it('a refused change goes back, with the server’s words', async () => {
    const refused = serverError('forbidden', 'req_31')
    const { screen, open } = renderSettings({ fail: { 'PATCH /v1/settings': refused } })
    await open('Sync settings')
    const invoices = await screen.findByRole<HTMLInputElement>('switch', { name: 'Invoices' })
    fireEvent.click(invoices)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Your role does not allow this.')
    expect(alert.textContent).toContain('Ask an administrator of your account.')
    expect(alert.textContent).toContain('Support reference: req_31')
    await waitFor(() => expect(invoices.checked).toBe(true))
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }))
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull())
  })

  it('bounds the history as the server does', () => expect(HISTORY_DAYS_MAX).toBe(SERVER_MAX))

  it('keeps the history a whole number of days within its bounds, with a clear error', async () => {
    const { screen, open, sent } = renderSettings()
    await open('Sync settings')
    const days = await screen.findByRole<HTMLInputElement>('spinbutton')
    for (const wrong of ['0', '3651', '2.5', '']) {
      fireEvent.input(days, { target: { value: wrong } })
      fireEvent.click(screen.getByRole('button', { name: 'Save' }))
      const error = await screen.findByRole('alert')
      expect(error.textContent).toBe('Enter a whole number of days from 1 to 3,650.')
      expect(days.getAttribute('aria-invalid')).toBe('true')
      expect(days.getAttribute('aria-describedby')).toContain(error.id)
    }
    expect(sent('PATCH', '/v1/settings')).toEqual([])
    fireEvent.input(days, { target: { value: '365' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(sent('PATCH', '/v1/settings')).toEqual([{ historyDays: 365 }]))
    expect(screen.queryByRole('alert')).toBeNull()
    expect(days.getAttribute('aria-invalid')).toBe('false')
  })

  it('a failed load says why and tries again', async () => {
    const { screen, open, server } = renderSettings({
      fail: { 'GET /v1/settings': serverError('not_ready', 'req_4') },
    })
    await open('Sync settings')
    expect((await screen.findByRole('alert')).textContent).toContain('Try again shortly.')
    server.fail = {}
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('switch', { name: 'Invoices' })).toBeTruthy()
  })
})
