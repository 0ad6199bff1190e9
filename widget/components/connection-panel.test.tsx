// @vitest-environment happy-dom
import { cleanup, fireEvent, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { PROVIDERS } from '../../shared/providers.ts'
import { ApiError } from '../api/api-error.ts'
import {
  AUTHORIZE_URL,
  BFF,
  HOST_PAGE,
  MEMBER,
  NOW,
  connection,
  renderPanel,
  serverError,
  status,
} from '../test-support.tsx'

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

const days = (n: number) => new Date(NOW + n * 86_400_000).toISOString()
// Xero's own consent opens in the same window (XR-C02); these tests use the popup path with it.
const POPUP = { consent: 'popup' as const }

const oauth = (outcome: string, provider = 'xero', errorCode?: string) => ({
  type: 'ledgerlink:oauth',
  outcome,
  provider,
  errorCode,
})
const COMPLETION = { attemptId: 'att_1', secret: 's3cret' }
const authorised = (provider = 'xero') => ({ ...oauth('authorised', provider), ...COMPLETION })

describe('loading', () => {
  it('says it is checking while the status loads', () => {
    const { screen, root } = renderPanel(status(), {
      before: (api) => api.status.mockReturnValue(new Promise(() => {})),
    })
    expect(screen.getByText('Checking your accounting connection…')).toBeTruthy()
    expect(root.querySelector('section')!.getAttribute('aria-busy')).toBe('true')
    expect(root.querySelector('section')!.getAttribute('aria-label')).toBe('Accounting connection')
  })
})

describe('no connection', () => {
  it('offers admins the three Connect buttons, named as the providers require', async () => {
    const { screen } = renderPanel(status())
    const buttons = await screen.findAllByRole('button', { name: /^Connect to / })
    expect(buttons.map((b) => b.textContent?.replace('→', '').trim())).toEqual([
      'Connect to Xero',
      'Connect to QuickBooks',
      'Connect to Sage',
    ])
    expect(buttons.map((b) => b.textContent)).toEqual(
      Object.values(PROVIDERS).map((p) => `${p.connectLabel}→`),
    )
    // QB-1.4: never "QB", "QBO" or "Quickbooks" in what users read.
    expect(screen.getByRole('region').textContent).not.toMatch(/\bQBO?\b|Quickbooks/)
  })

  it('tells members that nobody is connected and to ask an admin, with no buttons', async () => {
    const { screen } = renderPanel(status({ user: MEMBER }))
    expect(await screen.findByText('No accounting software is connected yet.')).toBeTruthy()
    expect(
      screen.getByText('Ask an admin of Brightwater Field Services to connect Xero, QuickBooks or Sage.'),
    ).toBeTruthy()
    expect(screen.queryAllByRole('button')).toHaveLength(0)
  })
})

describe('connecting in a popup', () => {
  it('opens the popup inside the click, then sends it to the authorize URL', async () => {
    const { api, browser, screen, live } = renderPanel(status(), POPUP)
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    // Synchronously inside the click (popup blockers), and before the POST.
    expect(browser.openPopup).toHaveBeenCalledTimes(1)
    expect(browser.openPopup.mock.invocationCallOrder[0]).toBeLessThan(
      api.startConnection.mock.invocationCallOrder[0]!,
    )
    expect(api.startConnection).toHaveBeenCalledWith({ provider: 'xero', mode: 'popup' })
    expect(await screen.findByText('Waiting for Xero…')).toBeTruthy()
    await waitFor(() => expect(browser.popup.location.href).toBe(AUTHORIZE_URL))
    expect(live()).toBe('Waiting for Xero. Finish signing in in the window that opened.')
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy()
  })

  it('accepts the result only from the BFF origin, then reloads the status', async () => {
    const { api, browser, screen, live } = renderPanel(status(), POPUP)
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    await waitFor(() => expect(browser.popup.location.href).toBe(AUTHORIZE_URL))
    api.current = status({ connection: connection() })

    browser.post('https://evil.example', authorised())
    browser.post(BFF, { ...authorised(), provider: 'myob' })
    browser.post(BFF, oauth('authorised')) // nothing to complete it with
    browser.post(BFF, 'ledgerlink:oauth authorised')
    expect(screen.getByText('Waiting for Xero…')).toBeTruthy()
    expect(api.status).toHaveBeenCalledTimes(1)
    expect(api.completeConnection).not.toHaveBeenCalled()

    browser.post(BFF, authorised())
    expect(await screen.findByText('Brightwater Ltd')).toBeTruthy()
    expect(api.completeConnection).toHaveBeenCalledExactlyOnceWith(COMPLETION)
    expect(api.status).toHaveBeenCalledTimes(2)
    expect(live()).toBe('Connected to Xero: Brightwater Ltd.')
    expect(browser.timers).toBe(0) // stopped watching the popup
  })

  it('goes back to idle (and re-reads the status) when the popup is closed without a message', async () => {
    const { api, browser, screen } = renderPanel(status())
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Sage/ }))
    await waitFor(() => expect(browser.timers).toBe(1))
    browser.popup.closed = true
    browser.tick()
    expect(await screen.findByRole('button', { name: /Connect to Sage/ })).toBeTruthy()
    expect(api.status).toHaveBeenCalledTimes(2)
    expect(browser.timers).toBe(0)
  })

  it('Cancel closes the popup and returns to the buttons', async () => {
    const { browser, screen } = renderPanel(status())
    fireEvent.click(await screen.findByRole('button', { name: /Connect to QuickBooks/ }))
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }))
    expect(browser.popup.close).toHaveBeenCalled()
    expect(await screen.findByRole('button', { name: /Connect to QuickBooks/ })).toBeTruthy()
  })

  it('shows a cancelled consent in plain words, and a failed one in the widget’s own words', async () => {
    const { browser, screen, live } = renderPanel(status(), POPUP)
    fireEvent.click(await screen.findByRole('button', { name: /Connect to QuickBooks/ }))
    await waitFor(() => expect(browser.popup.location.href).toBe(AUTHORIZE_URL))
    browser.post(BFF, oauth('cancelled', 'quickbooks'))
    expect(
      await screen.findByText('Signing in to QuickBooks was cancelled. Nothing has changed.'),
    ).toBeTruthy()
    expect(live()).toBe('Signing in to QuickBooks was cancelled.')

    fireEvent.click(screen.getByRole('button', { name: /Connect to Xero/ }))
    await waitFor(() => expect(browser.openPopup).toHaveBeenCalledTimes(2))
    browser.post(BFF, oauth('failed', 'xero', 'oauth_denied'))
    const alert = await screen.findByRole('alert')
    // No server answer to take words from: the widget names this outcome itself.
    expect(alert.textContent).toContain('Access was not granted.')
    expect(alert.textContent).toContain('Click Connect again and choose Allow to connect.')
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull())
  })
})

describe('how each provider’s consent opens by default', () => {
  it('Xero in the same window, never a popup (Xero certification XR-C02)', async () => {
    const { api, browser, screen } = renderPanel(status())
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    expect(browser.openPopup).not.toHaveBeenCalled()
    expect(api.startConnection).toHaveBeenCalledWith({
      provider: 'xero',
      mode: 'redirect',
      returnTo: HOST_PAGE,
    })
    await waitFor(() => expect(browser.navigate).toHaveBeenCalledWith(AUTHORIZE_URL))
  })

  it('QuickBooks and Sage in a popup', async () => {
    for (const name of [/Connect to QuickBooks/, /Connect to Sage/]) {
      const { api, browser, screen } = renderPanel(status())
      fireEvent.click(await screen.findByRole('button', { name }))
      expect(browser.openPopup).toHaveBeenCalledTimes(1)
      expect(api.startConnection).toHaveBeenCalledWith(expect.objectContaining({ mode: 'popup' }))
      cleanup()
    }
  })
})

describe('connecting with a full-page redirect', () => {
  it('falls back to a redirect when the popup is blocked, coming back to this page', async () => {
    const { api, browser, screen } = renderPanel(status())
    browser.blockPopups = true
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    expect(api.startConnection).toHaveBeenCalledWith({
      provider: 'xero',
      mode: 'redirect',
      returnTo: HOST_PAGE,
    })
    expect(await screen.findByText('Taking you to Xero…')).toBeTruthy()
    await waitFor(() => expect(browser.navigate).toHaveBeenCalledWith(AUTHORIZE_URL))
  })

  it('uses the redirect without trying a popup when configured so', async () => {
    const { api, browser, screen } = renderPanel(status(), { consent: 'redirect' })
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    expect(browser.openPopup).not.toHaveBeenCalled()
    expect(api.startConnection).toHaveBeenCalledWith(expect.objectContaining({ mode: 'redirect' }))
  })

  it('reads the outcome from the returning URL, then removes it', async () => {
    const back = `${HOST_PAGE}&ledgerlink_oauth=failed&ledgerlink_provider=sage&ledgerlink_error=oauth_state_invalid`
    const { browser, screen } = renderPanel(status(), { href: back })
    expect(browser.replaceUrl).toHaveBeenCalledWith(HOST_PAGE)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain(
      'This sign-in to your accounting software was not started here, was already used or took too long.',
    )
    expect(alert.textContent).toContain('Start again from the Connect button.')
  })

  it('says a cancelled redirect was cancelled', async () => {
    const back = `${HOST_PAGE}&ledgerlink_oauth=cancelled&ledgerlink_provider=xero`
    const { screen } = renderPanel(status(), { href: back })
    expect(await screen.findByText('Signing in to Xero was cancelled. Nothing has changed.')).toBeTruthy()
  })
})

describe('choosing the organisation', () => {
  const choice = {
    attemptId: 'att_1',
    provider: 'xero' as const,
    organisations: [
      { id: 'org_a', name: 'Brightwater Ltd' },
      { id: 'org_b', name: 'Brightwater Holdings' },
    ],
    expiresAt: '2026-11-22T12:10:00Z',
  }

  it('lets an admin pick one (never the first by default) and connects it', async () => {
    const { api, screen, live } = renderPanel(status({ pendingChoice: choice }))
    const group = await screen.findByRole('group', { name: 'Choose the organisation to connect' })
    const radios = screen.getAllByRole('radio')
    expect(radios.map((r) => (r as HTMLInputElement).checked)).toEqual([false, false])
    expect(group.textContent).toContain('Brightwater Holdings')
    expect(live()).toBe('Choose the Xero organisation to connect.')

    fireEvent.click(screen.getByRole('button', { name: 'Use this organisation' }))
    expect(await screen.findByText('Choose an organisation first.')).toBeTruthy()
    expect(api.chooseOrganisation).not.toHaveBeenCalled()

    fireEvent.click(screen.getByRole('radio', { name: 'Brightwater Holdings' }))
    fireEvent.click(screen.getByRole('button', { name: 'Use this organisation' }))
    expect(api.chooseOrganisation).toHaveBeenCalledWith({ attemptId: 'att_1', organisationId: 'org_b' })
    expect(await screen.findByText('Connected')).toBeTruthy()
    expect(screen.getByText('Brightwater Holdings')).toBeTruthy()
    expect(live()).toBe('Connected to Xero: Brightwater Holdings.')
  })

  it('tells a member an admin is choosing', async () => {
    const { screen } = renderPanel(status({ user: MEMBER, pendingChoice: choice }))
    expect(await screen.findByText('An admin is choosing which Xero organisation to connect.')).toBeTruthy()
    expect(screen.queryAllByRole('radio')).toHaveLength(0)
  })
})

describe('connected', () => {
  it('shows organisation, provider, who connected it and when, and the last sync', async () => {
    const { screen, root } = renderPanel(status({ connection: connection() }))
    const card = await screen.findByRole('article', { name: 'Brightwater Ltd' })
    expect(card.textContent).toContain('Xero')
    expect(screen.getByText('Connected')).toBeTruthy()
    expect(screen.getByText('Ada Lovelace, 1 Nov 2026')).toBeTruthy()
    const time = root.querySelector('time')!
    expect(time.textContent).toBe('5 minutes ago')
    expect(time.getAttribute('datetime')).toBe('2026-11-22T11:55:00Z')
    expect(screen.getByRole('button', { name: 'Disconnect from Xero' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Reconnect/ })).toBeNull()
  })

  it('says "Not synced yet" before the first sync', async () => {
    const { screen } = renderPanel(status({ connection: connection({ lastSyncAt: null }) }))
    expect(await screen.findByText('Not synced yet')).toBeTruthy()
  })

  it('shows members the status without any admin button (only the sections they may read)', async () => {
    const { screen } = renderPanel(status({ user: MEMBER, connection: connection() }))
    expect(await screen.findByText('Brightwater Ltd')).toBeTruthy()
    expect(screen.queryAllByRole('button').map((b) => b.textContent)).toEqual([
      'Sync settings',
      'Account mappings',
    ])
  })
})

describe('disconnect confirmation', () => {
  async function openDialog() {
    const panel = renderPanel(status({ connection: connection() }))
    const trigger = await panel.screen.findByRole('button', { name: 'Disconnect from Xero' })
    trigger.focus()
    fireEvent.click(trigger)
    const dialog = await panel.screen.findByRole('dialog', { name: 'Disconnect from Xero?' })
    return { ...panel, trigger, dialog }
  }

  it('is a labelled modal dialog with the focus inside, trapped', async () => {
    const { dialog, root, screen } = await openDialog()
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    const description = root.getElementById(dialog.getAttribute('aria-describedby')!)!
    expect(description.textContent).toBe(
      'LedgerLink will stop sending invoices and payments to Brightwater Ltd. Nothing already in Xero is deleted, and your settings are kept if you reconnect.',
    )
    const cancel = screen.getByRole('button', { name: 'Cancel' })
    const confirm = screen.getByRole('button', { name: 'Disconnect' })
    expect(root.activeElement).toBe(cancel)
    fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true })
    expect(root.activeElement).toBe(confirm)
    fireEvent.keyDown(confirm, { key: 'Tab' })
    expect(root.activeElement).toBe(cancel)
    expect(root.querySelector('.content')!.hasAttribute('inert')).toBe(true)
  })

  it('closes on Escape and gives the focus back to Disconnect', async () => {
    const { dialog, root, screen, trigger, api } = await openDialog()
    fireEvent.keyDown(dialog, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(root.activeElement).toBe(trigger)
    expect(api.disconnect).not.toHaveBeenCalled()
  })

  it('disconnects on confirm, then offers Connect again', async () => {
    const { api, screen, live } = await openDialog()
    api.current = status()
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }))
    expect(await screen.findByRole('button', { name: /Connect to Xero/ })).toBeTruthy()
    expect(api.disconnect).toHaveBeenCalledTimes(1)
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(live()).toBe('Disconnected from Xero.')
  })

  it('shows a failure inside the dialog, with the reference', async () => {
    const { api, screen, dialog } = await openDialog()
    api.disconnect.mockRejectedValueOnce(serverError('provider_unavailable', 'req_42'))
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }))
    await waitFor(() =>
      expect(dialog.textContent).toContain('Your accounting software cannot be reached right now.'),
    )
    expect(dialog.textContent).toContain('Support reference: req_42')
  })
})

describe('expired and revoked', () => {
  it('explains an expired connection and reconnects to the same provider', async () => {
    const { api, screen } = renderPanel(status({ connection: connection({ status: 'expired' }) }), POPUP)
    expect(await screen.findByText('Expired')).toBeTruthy()
    expect(screen.getByText('The connection to your accounting software has expired.')).toBeTruthy()
    expect(screen.getByText('Reconnect to carry on; your settings and links are kept.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect to Xero' }))
    expect(api.startConnection).toHaveBeenCalledWith({ provider: 'xero', mode: 'popup' })
  })

  it('says a revoked connection was disconnected on the provider’s side', async () => {
    const { screen } = renderPanel(
      status({ connection: connection({ provider: 'quickbooks', status: 'revoked' }) }),
    )
    expect(await screen.findByText('Access removed')).toBeTruthy()
    expect(
      screen.getByText(
        'Disconnected in QuickBooks. Access to your accounting software was removed from its side.',
      ),
    ).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Reconnect to QuickBooks' })).toBeTruthy()
  })

  it('asks members to get an admin to reconnect', async () => {
    const { screen } = renderPanel(status({ user: MEMBER, connection: connection({ status: 'expired' }) }))
    expect(await screen.findByText('Ask an admin of Brightwater Field Services to reconnect.')).toBeTruthy()
    // No chart to map against until it is reconnected: the settings only.
    expect(screen.queryAllByRole('button').map((b) => b.textContent)).toEqual(['Sync settings'])
  })
})

describe('error', () => {
  it("shows the code's words, the provider's message and the correlation id, without Reconnect", async () => {
    const lastError = {
      code: 'provider_error' as const,
      message: 'Organisation is offline',
      correlationId: 'c0ffee-1234',
      at: '2026-11-22T11:00:00Z',
    }
    const { screen } = renderPanel(status({ connection: connection({ status: 'error', lastError }) }))
    expect(await screen.findByText('Needs attention')).toBeTruthy()
    expect(screen.getByText('Your accounting software answered with an error.')).toBeTruthy()
    expect(screen.getByText('Xero said: “Organisation is offline”')).toBeTruthy()
    expect(screen.getByText('c0ffee-1234').tagName).toBe('CODE')
    expect(screen.getByRole('article').textContent).toContain('Support reference: c0ffee-1234')
    expect(screen.queryByRole('button', { name: /Reconnect/ })).toBeNull()
    expect(screen.getByRole('button', { name: 'Disconnect from Xero' })).toBeTruthy()
  })
})

describe('switching provider', () => {
  it('warns before replacing the current connection, then connects with confirmSwitch', async () => {
    const { api, browser, screen } = renderPanel(status({ connection: connection() }))
    const toggle = await screen.findByRole('button', { name: 'Use different accounting software' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(toggle)
    expect(await screen.findByRole('button', { name: /Connect to Sage/ })).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Connect to Xero/ })).toBeNull()

    fireEvent.click(screen.getByRole('button', { name: /Connect to QuickBooks/ }))
    const dialog = await screen.findByRole('dialog', { name: 'Switch to QuickBooks?' })
    expect(dialog.textContent).toContain(
      'You are connected to Xero (Brightwater Ltd). Connecting QuickBooks disconnects Xero, and anything still waiting to be sent to Xero will not be sent.',
    )
    expect(browser.openPopup).not.toHaveBeenCalled()
    expect(api.startConnection).not.toHaveBeenCalled()

    fireEvent.click(screen.getByRole('button', { name: 'Switch to QuickBooks' }))
    expect(browser.openPopup).toHaveBeenCalledTimes(1)
    expect(api.startConnection).toHaveBeenCalledWith({
      provider: 'quickbooks',
      mode: 'popup',
      confirmSwitch: true,
    })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('says what the current connection still has to do, as the server counts it', async () => {
    const { api, screen } = renderPanel(status({ connection: connection() }))
    api.outstanding.mockResolvedValueOnce({
      queued: { invoice: 3 },
      failing: { invoice: 1 },
      summary: 'Not yet in Xero: 3 invoices waiting to be sent and 1 invoice that failed.',
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Use different accounting software' }))
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Sage/ }))
    const dialog = await screen.findByRole('dialog', { name: 'Switch to Sage Accounting?' })
    await waitFor(() =>
      expect(dialog.textContent).toContain(
        'Not yet in Xero: 3 invoices waiting to be sent and 1 invoice that failed.',
      ),
    )
    expect(api.outstanding).toHaveBeenCalledTimes(1)
  })

  it('shows the warning when the server answers provider_switch_unconfirmed', async () => {
    const { api, browser, screen } = renderPanel(status(), POPUP)
    api.current = status({ connection: connection({ provider: 'sage' }) }) // connected elsewhere meanwhile
    api.startConnection.mockRejectedValueOnce(serverError('provider_switch_unconfirmed', 'req_7'))
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    const dialog = await screen.findByRole('dialog', { name: 'Switch to Xero?' })
    expect(browser.popup.close).toHaveBeenCalled()
    expect(dialog.textContent).toContain('You are connected to Sage Accounting (Brightwater Ltd).')
    fireEvent.click(screen.getByRole('button', { name: 'Switch to Xero' }))
    expect(api.startConnection).toHaveBeenLastCalledWith({
      provider: 'xero',
      mode: 'popup',
      confirmSwitch: true,
    })
  })
})

describe('QuickBooks reconnect-by warning', () => {
  it('warns within 30 days of reconnectBy and offers Reconnect', async () => {
    const { screen } = renderPanel(
      status({ connection: connection({ provider: 'quickbooks', reconnectBy: days(20) }) }),
    )
    expect(
      await screen.findByText(
        'QuickBooks asks you to sign in again by 12 Dec 2026 (in 20 days): reconnect before then.',
      ),
    ).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Reconnect to QuickBooks' })).toBeTruthy()
  })

  it('stays quiet further out', async () => {
    const { screen } = renderPanel(
      status({ connection: connection({ provider: 'quickbooks', reconnectBy: days(60) }) }),
    )
    expect(await screen.findByText('Connected')).toBeTruthy()
    expect(screen.queryByText(/sign in again/)).toBeNull()
    expect(screen.queryByRole('button', { name: /Reconnect/ })).toBeNull()
  })
})

describe('API failure', () => {
  it('shows the message and action the server sent, the reference, and retries', async () => {
    const { api, screen } = renderPanel(status(), {
      before: (api) => api.status.mockRejectedValueOnce(serverError('not_ready', 'req_9')),
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The service is starting or its database cannot be reached.')
    expect(alert.textContent).toContain('Try again shortly.')
    expect(alert.textContent).toContain('Support reference: req_9')
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('button', { name: /Connect to Xero/ })).toBeTruthy()
    expect(api.status).toHaveBeenCalledTimes(2)
  })

  it('names network failures in plain words', async () => {
    const { screen } = renderPanel(status(), {
      before: (api) => api.status.mockRejectedValueOnce(new ApiError('network', 0)),
    })
    expect((await screen.findByRole('alert')).textContent).toContain('LedgerLink could not be reached.')
  })

  it('uses the server’s words for a code this build does not know', async () => {
    const server = { message: 'A newer problem.', action: 'Do the newer thing.' }
    const { screen } = renderPanel(status(), {
      before: (api) => api.status.mockRejectedValueOnce(new ApiError('brand_new_code', 400, 'req_1', server)),
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('A newer problem.Do the newer thing.')
  })

  it('prefers the server’s words to its own for a code it also names itself', async () => {
    const said = 'Your accounting software answered with an error. Xero said it is closed for maintenance.'
    const { screen } = renderPanel(status(), {
      before: (api) => api.status.mockRejectedValueOnce(serverError('provider_error', 'req_2', [], said)),
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain(said)
  })

  it('says something general, with the reference, when an answer carries no words at all', async () => {
    const { screen } = renderPanel(status(), {
      before: (api) => api.status.mockRejectedValueOnce(ApiError.fromBody(502, '<html>Bad gateway</html>')),
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Something went wrong.')
    expect(alert.textContent).not.toContain('html')
  })

  it('closes the popup and explains a refused connect', async () => {
    const { api, browser, screen } = renderPanel(status(), POPUP)
    api.startConnection.mockRejectedValueOnce(serverError('forbidden', 'req_3'))
    fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    const alert = await screen.findByRole('alert')
    expect(browser.popup.close).toHaveBeenCalled()
    expect(alert.textContent).toContain('Your role does not allow this.')
    expect(alert.textContent).toContain('Ask an administrator of your account.')
    expect(screen.getByRole('button', { name: /Connect to Xero/ })).toBeTruthy()
  })
})

describe('en-US', () => {
  it('spells and formats for American readers', async () => {
    const { screen } = renderPanel(status({ connection: connection() }), { locale: 'en-US' })
    expect(await screen.findByText('Ada Lovelace, Nov 1, 2026')).toBeTruthy()
  })

  it('says organization', async () => {
    const pendingChoice = {
      attemptId: 'att_1',
      provider: 'xero' as const,
      organisations: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
      expiresAt: '2026-11-22T12:10:00Z',
    }
    const { screen } = renderPanel(status({ pendingChoice }), { locale: 'en-US' })
    expect(await screen.findByRole('group', { name: 'Choose the organization to connect' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Use this organization' })).toBeTruthy()
  })
})
