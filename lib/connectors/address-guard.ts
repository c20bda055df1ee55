import { lookup } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Where a connector may send its secret: public addresses over https. Loopback, link-local
 * (cloud metadata at 169.254.169.254), private, shared (CGNAT), unspecified, multicast and
 * reserved addresses are refused — checked on the address a connection is really made to (the
 * DNS answer the socket uses, so a name that resolves to 127.0.0.1, or re-resolves to it later,
 * is refused too). Redirects are never followed (http-transport.ts).
 *
 * Tests talk to fakes on 127.0.0.1: ET_CONNECTORS_ALLOW_PRIVATE=1 allows private and loopback
 * addresses, ET_CONNECTORS_ALLOW_HTTP=1 allows plain http. Neither allows any other scheme.
 */

const refused = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  refused.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  refused.addSubnet(network, prefix, 'ipv6')
}

export class RefusedAddressError extends Error {}

export const allowsPrivateAddresses = () => process.env.ET_CONNECTORS_ALLOW_PRIVATE === '1'
export const allowsPlainHttp = () => process.env.ET_CONNECTORS_ALLOW_HTTP === '1'

/** Why an address may not be contacted, or null. IPv4-mapped and -compatible IPv6 count as IPv4. */
export function refusedAddress(address: string): string | null {
  const family = isIP(address)
  if (family === 0) return `${address} is not an IP address`
  if (family === 6) {
    const mapped = /^(?:0*:)*(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? hexMapped(address)
    if (mapped) return refusedAddress(mapped)
    return refused.check(address, 'ipv6') ? `${address} is a loopback, link-local, private or reserved address` : null
  }
  return refused.check(address, 'ipv4') ? `${address} is a loopback, link-local, private or reserved address` : null
}

/** ::ffff:7f00:1 → 127.0.0.1 */
function hexMapped(address: string): string | null {
  const m = /^(?:0*:)*ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address) ?? /^::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
  if (!m) return null
  const hi = parseInt(m[1], 16)
  const lo = parseInt(m[2], 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

/** The URL's scheme is one a connector may use; throws with the reason. */
export function checkScheme(url: URL): void {
  if (url.protocol === 'https:') return
  if (url.protocol === 'http:' && allowsPlainHttp()) return
  throw new RefusedAddressError(`refused: ${url.protocol.replace(/:$/, '')}:// endpoints are not allowed (https only${allowsPlainHttp() ? ', or http' : ''})`)
}

/** A host given as an IP literal is connected to without a DNS lookup: checked here. */
export function checkLiteralHost(hostname: string): void {
  const bare = hostname.replace(/^\[|\]$/g, '')
  if (isIP(bare) === 0 || allowsPrivateAddresses()) return
  const reason = refusedAddress(bare)
  if (reason) throw new RefusedAddressError(`refused: ${reason}`)
}

/**
 * dns.lookup for the socket: every address the name resolves to must be allowed, else the
 * connection fails before a byte (or the secret) is sent.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0)
    const list = addresses as unknown as { address: string; family: number }[]
    if (!allowsPrivateAddresses()) {
      for (const { address } of list) {
        const reason = refusedAddress(address)
        if (reason) return callback(Object.assign(new RefusedAddressError(`refused: ${hostname} resolves to ${reason}`), { code: 'EREFUSEDADDRESS' }), '', 0)
      }
    }
    if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0)
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list)
    callback(null, list[0].address, list[0].family)
  })
}
