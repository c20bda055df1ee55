import { describe, expect, it } from 'vitest'
import { canonicalAddress, parseTrustedProxies, resolveClientAddress, TrustedProxiesError, UNKNOWN_CLIENT } from '@/lib/http/client-address'

// Which client sent a request decides its sign-in throttle; a client must not be able to choose it.
describe('client address', () => {
  it('ignores forwarded headers when no proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.5', '1.2.3.4', [])).toBe('203.0.113.5')
    expect(resolveClientAddress('203.0.113.5', null, [])).toBe('203.0.113.5')
  })

  it('ignores forwarded headers from a peer that is not a trusted proxy', () => {
    expect(resolveClientAddress('203.0.113.5', '1.2.3.4', parseTrustedProxies('10.0.0.0/8'))).toBe('203.0.113.5')
  })

  it('takes the right-most address that is not a trusted proxy, not the first the client wrote', () => {
    const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.1')
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.9', proxies)).toBe('198.51.100.9')
    // Two proxies in a row.
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.9, 192.168.1.1', proxies)).toBe('198.51.100.9')
    // A proxy that wrote garbage: the proxy itself, never a guess.
    expect(resolveClientAddress('10.0.0.2', 'not-an-address', proxies)).toBe('10.0.0.2')
  })

  it('reads IPv4-mapped IPv6 peers as IPv4 and IPv6 in one spelling', () => {
    expect(resolveClientAddress('::ffff:127.0.0.1', '198.51.100.9', parseTrustedProxies('127.0.0.1'))).toBe('198.51.100.9')
    expect(canonicalAddress('2001:DB8:0:0::1')).toBe('2001:db8::1')
    expect(canonicalAddress('[2001:db8::1]:443')).toBe('2001:db8::1')
    expect(canonicalAddress('0x7f.1')).toBeNull()
  })

  it('knows no client without a peer address, and refuses a malformed proxy list', () => {
    expect(resolveClientAddress(null, '1.2.3.4', parseTrustedProxies('0.0.0.0/0'))).toBe(UNKNOWN_CLIENT)
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.internal')).toThrow(TrustedProxiesError)
  })
})
