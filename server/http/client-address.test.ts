import { describe, expect, test } from 'vitest'
import { ConfigError, loadConfig } from '../config.ts'
import { pickClientAddress } from './client-address.ts'

const pick = (forwardedFor: string | undefined, hops = 1, trustProxy = true) =>
  pickClientAddress({ forwardedFor, socket: '10.0.0.2', trustProxy, hops })

describe('the client address', () => {
  test('behind one appending proxy: the entry it added, not what the client wrote', () => {
    expect(pick('203.0.113.7')).toBe('203.0.113.7')
    expect(pick('1.2.3.4, 203.0.113.7')).toBe('203.0.113.7')
    expect(pick('evil, 1.2.3.4,203.0.113.7 ')).toBe('203.0.113.7')
  })

  test('behind several proxies: the entry that many hops from the right', () => {
    expect(pick('spoofed, 203.0.113.7, 198.51.100.1', 2)).toBe('203.0.113.7')
    expect(pick('spoofed, 203.0.113.7, 198.51.100.1, 192.0.2.1', 3)).toBe('203.0.113.7')
  })

  test('with fewer entries than hops, or none, the socket address', () => {
    expect(pick('203.0.113.7', 2)).toBe('10.0.0.2')
    expect(pick(undefined)).toBe('10.0.0.2')
    expect(pick('')).toBe('10.0.0.2')
    expect(pick('203.0.113.7, ', 1)).toBe('10.0.0.2') // an empty entry is not an address
  })

  test('without TRUST_PROXY the header is ignored', () => {
    expect(pick('203.0.113.7', 1, false)).toBe('10.0.0.2')
    expect(
      pickClientAddress({ forwardedFor: undefined, socket: undefined, trustProxy: false, hops: 1 }),
    ).toBe('unknown')
  })

  test('TRUST_PROXY_HOPS is an integer from 1 to 10, 1 by default', () => {
    expect(loadConfig({}).trustProxyHops).toBe(1)
    expect(loadConfig({ TRUST_PROXY_HOPS: '3' }).trustProxyHops).toBe(3)
    for (const bad of ['0', '11', '1.5', 'two'])
      expect(() => loadConfig({ TRUST_PROXY_HOPS: bad }), bad).toThrow(ConfigError)
  })
})
