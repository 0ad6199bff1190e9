// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from 'vitest'
import { boot, coreUrl } from './boot.ts'
import * as core from './core.ts'

afterEach(() => {
  delete window.LedgerLink
  vi.restoreAllMocks()
})

function script(src: string) {
  const el = document.createElement('script')
  el.src = src
  return el
}

it('finds the core module beside the script, wherever the script is served', () => {
  expect(coreUrl('https://ll.example/widget.js')).toBe('https://ll.example/widget/core.js')
  expect(coreUrl('https://cdn.example/ll/v1/widget.js?x=1')).toBe('https://cdn.example/ll/v1/widget/core.js')
})

// The loader as a page runs it: the core module it imports is the real one (core.ts).
it('imports the core and hands it the script element; a second copy of the script changes nothing', async () => {
  const getToken = vi.fn(() => 'embed-1')
  window.LedgerLink = { q: [['init', { baseUrl: 'https://ll.example', getToken }]] }
  const define = vi.spyOn(customElements, 'define')
  const load = vi.fn((_url: string) => Promise.resolve(core))
  const tag = script('https://ll.example/widget.js')
  await boot(window, tag, load)
  expect(load).toHaveBeenCalledWith('https://ll.example/widget/core.js')
  const first = window.LedgerLink
  expect(first.loaded).toBe(true)
  expect(customElements.get('ledgerlink-connection')).toBeTypeOf('function')
  expect(customElements.get('ledgerlink-invoice-badge')).toBeTypeOf('function')
  const defined = define.mock.calls.length

  await boot(window, script('https://ll.example/widget.js'), load) // a second <script src=widget.js>
  expect(window.LedgerLink).toBe(first)
  expect(define).toHaveBeenCalledTimes(defined)
})

it('says so on the console when the core cannot be loaded, and throws nothing at the page', async () => {
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  await boot(window, script('https://ll.example/widget.js'), () => Promise.reject(new Error('offline')))
  expect(error).toHaveBeenCalledWith(
    expect.stringContaining('could not load'),
    'https://ll.example/widget/core.js',
    expect.any(Error),
  )
  expect(window.LedgerLink).toBeUndefined()
})
