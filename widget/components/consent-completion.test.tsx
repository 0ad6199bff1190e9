// @vitest-environment happy-dom
import { cleanup, fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import {
  AUTHORIZE_URL,
  BFF,
  HOST_PAGE,
  connection,
  renderPanel,
  serverError,
  status,
} from '../test-support.tsx'

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

// A consent connects nothing until this page's session hands back the secret its window got.
const COMPLETION = { attemptId: 'att_7', secret: 'one-time-secret' }
const message = (provider = 'quickbooks') => ({
  type: 'ledgerlink:oauth',
  outcome: 'authorised',
  provider,
  ...COMPLETION,
})
const choice = {
  attemptId: 'att_7',
  provider: 'sage' as const,
  organisations: [
    { id: 'b1', name: 'Brightwater Ltd' },
    { id: 'b2', name: 'Brightwater Holdings' },
  ],
  expiresAt: '2026-11-22T12:10:00Z',
}

describe('completing a consent', () => {
  it('popup: completes with the secret from the message, says it is finishing, then connected', async () => {
    const { api, browser, screen, live } = renderPanel(status())
    fireEvent.click(await screen.findByRole('button', { name: /Connect to QuickBooks/ }))
    await waitFor(() => expect(browser.popup.location.href).toBe(AUTHORIZE_URL))
    let answer!: () => void
    api.completeConnection.mockImplementationOnce(
      () =>
        new Promise(
          (resolve) => (answer = () => resolve({ outcome: 'connected', connection: connection() })),
        ),
    )
    api.current = status({ connection: connection({ provider: 'quickbooks' }) })
    browser.post(BFF, message())
    expect(await screen.findByText('Finishing connecting to QuickBooks…')).toBeTruthy()
    expect(api.completeConnection).toHaveBeenCalledExactlyOnceWith(COMPLETION)
    answer()
    expect(await screen.findByText('Brightwater Ltd')).toBeTruthy()
    expect(live()).toBe('Connected to QuickBooks: Brightwater Ltd.')
  })

  it('redirect: takes the secret out of the address first, completes, then reads the status once', async () => {
    const back = `${HOST_PAGE}&ledgerlink_oauth=authorised&ledgerlink_provider=xero&ledgerlink_attempt=att_7&ledgerlink_secret=one-time-secret`
    const { api, browser, screen, live } = renderPanel(status(), {
      before: (api) => (api.current = status({ connection: connection() })),
      href: back,
    })
    expect(browser.replaceUrl).toHaveBeenCalledWith(HOST_PAGE)
    expect(api.completeConnection.mock.invocationCallOrder[0]).toBeGreaterThan(
      browser.replaceUrl.mock.invocationCallOrder[0]!,
    )
    expect(api.completeConnection).toHaveBeenCalledExactlyOnceWith(COMPLETION)
    expect(await screen.findByText('Brightwater Ltd')).toBeTruthy()
    expect(live()).toBe('Connected to Xero: Brightwater Ltd.')
    expect(api.status).toHaveBeenCalledTimes(1) // not once before the completion and once after
  })

  it('several organisations: the picker follows the completion', async () => {
    const back = `${HOST_PAGE}&ledgerlink_oauth=authorised&ledgerlink_provider=sage&ledgerlink_attempt=att_7&ledgerlink_secret=s`
    const { screen, live } = renderPanel(status(), {
      before: (api) => (api.current = status({ pendingChoice: choice })),
      href: back,
    })
    expect(await screen.findByRole('radio', { name: 'Brightwater Holdings' })).toBeTruthy()
    expect(live()).toBe('Choose the Sage Accounting organisation to connect.')
  })

  it('a refused completion says so in words and offers Connect again', async () => {
    const { api, browser, screen } = renderPanel(status())
    api.completeConnection.mockRejectedValueOnce(serverError('oauth_state_invalid', 'req_5'))
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Sage/ }))
    await waitFor(() => expect(browser.popup.location.href).toBe(AUTHORIZE_URL))
    browser.post(BFF, message('sage'))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain(
      'This sign-in to your accounting software was not started here, was already used or took too long.',
    )
    expect(alert.textContent).toContain('Support reference: req_5')
    expect(screen.getByRole('button', { name: /Connect to Sage/ })).toBeTruthy()
  })

  it('a popup closed without a message completes nothing', async () => {
    const { api, browser, screen } = renderPanel(status())
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Sage/ }))
    await waitFor(() => expect(browser.timers).toBe(1))
    browser.popup.closed = true
    browser.tick()
    expect(await screen.findByRole('button', { name: /Connect to Sage/ })).toBeTruthy()
    expect(api.completeConnection).not.toHaveBeenCalled()
  })
})

describe('errors nobody on this page can fix', () => {
  it('a configuration fault asks for the app’s administrator, never to correct fields', async () => {
    const { api, screen } = renderPanel(status())
    const details = [{ path: 'returnTo', message: 'http://127.0.0.1:3000 is not allowed by ALLOWED_ORIGINS' }]
    api.startConnection.mockRejectedValueOnce(serverError('configuration_error', 'req_8', details))
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('LedgerLink is not set up to connect from this page.')
    expect(alert.textContent).toContain('administrator')
    expect(alert.textContent).not.toContain('Correct the fields')
    expect(alert.textContent).not.toContain('ALLOWED_ORIGINS') // for the server log, not for the user
  })

  it('validation_failed with no field listed does not ask to correct the fields listed', async () => {
    const { api, screen } = renderPanel(status())
    api.startConnection.mockRejectedValueOnce(serverError('validation_failed', 'req_9'))
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Some of the details sent are not valid.')
    expect(alert.textContent).not.toContain('Correct the fields')
    expect(alert.textContent).toContain('Nothing you entered caused this.')
  })

  it('validation_failed with fields lists them, then asks to correct them', async () => {
    const { api, screen } = renderPanel(status())
    const details = [{ path: 'organisationId', message: 'Not one of the organisations you authorised' }]
    api.startConnection.mockRejectedValueOnce(serverError('validation_failed', 'req_9', details))
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    const alert = await screen.findByRole('alert')
    expect(alert.querySelector('li')!.textContent).toBe(
      'organisationId: Not one of the organisations you authorised',
    )
    expect(alert.textContent).toContain('Correct the fields listed and send again.')
  })
})
