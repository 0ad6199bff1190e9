// @vitest-environment happy-dom
import { expect, it, vi } from 'vitest'

// The built script's entry, loaded as a page would load it: twice, with a call queued before.
it('installs on load, drains the queue, and a second copy of the script changes nothing', async () => {
  const getToken = vi.fn(() => 'embed-1')
  window.LedgerLink = { q: [['init', { baseUrl: 'https://ll.example', getToken }]] }
  const define = vi.spyOn(customElements, 'define')
  await import('./boot.ts')
  const first = window.LedgerLink
  expect(first.loaded).toBe(true)
  expect(customElements.get('ledgerlink-connection')).toBeTypeOf('function')

  vi.resetModules()
  await import('./boot.ts') // a second <script src=widget.js>
  expect(window.LedgerLink).toBe(first)
  expect(define).toHaveBeenCalledTimes(1)
})
