import ipaddr from 'ipaddr.js'

/**
 * Which client sent a request, for sign-in throttling and the audit trail.
 *
 * `next start` keeps whatever `X-Forwarded-For` a client sends and hides the socket address,
 * so the app runs behind its own small server (scripts/serve.ts) which replaces PEER_HEADER on
 * every request with the socket's address and sets PEER_MARK. Forwarded headers are then read
 * only as far as the hops are proxies the operator listed in ET_TRUSTED_PROXIES: the client is
 * the right-most address that is not a trusted proxy. Without our server (plain `next start`,
 * an unknown runtime) the client is unknown rather than whatever a header claims.
 */
export const PEER_HEADER = 'x-et-peer-address'
export const PEER_MARK = Symbol.for('enumeration-triage.peer-header')
export const UNKNOWN_CLIENT = 'unknown'

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

let parsedFrom: string | undefined
let parsed: Range[] = []

export class TrustedProxiesError extends Error {}

/** ET_TRUSTED_PROXIES: CIDR ranges or single addresses, separated by commas or spaces. */
export function parseTrustedProxies(text: string | undefined): Range[] {
  const ranges: Range[] = []
  for (const item of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      if (item.includes('/')) ranges.push(ipaddr.parseCIDR(item))
      else {
        const address = ipaddr.process(item)
        ranges.push([address, address.kind() === 'ipv4' ? 32 : 128])
      }
    } catch {
      throw new TrustedProxiesError(`ET_TRUSTED_PROXIES: "${item}" is not an address or CIDR range`)
    }
  }
  return ranges
}

function trustedProxies(): Range[] {
  const text = process.env.ET_TRUSTED_PROXIES
  if (text !== parsedFrom) {
    parsed = parseTrustedProxies(text)
    parsedFrom = text
  }
  return parsed
}

/** The canonical text of an address (IPv4-mapped IPv6 as IPv4), or null when it is none. */
export function canonicalAddress(text: string | undefined | null): string | null {
  if (!text) return null
  const trimmed = text.trim().replace(/^\[(.*)\](?::\d+)?$/, '$1')
  if (!ipaddr.isValid(trimmed)) return null
  // isValid accepts shorthand such as "1" or "0x7f.1": only the dotted quad or IPv6 is an address here.
  if (!trimmed.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return null
  const address = ipaddr.process(trimmed)
  return address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString()
}

function isTrusted(address: string, ranges: Range[]): boolean {
  const parsedAddress = ipaddr.process(address)
  return ranges.some(([range, bits]) => range.kind() === parsedAddress.kind() && parsedAddress.match(range, bits))
}

/**
 * The client's address from the socket peer and the forwarded chain, given the trusted proxies.
 * Pure, for tests; `clientAddress` reads them from the request.
 */
export function resolveClientAddress(peer: string | null, forwardedFor: string | null, ranges: Range[]): string {
  let client = canonicalAddress(peer)
  if (!client) return UNKNOWN_CLIENT
  const hops = (forwardedFor ?? '').split(',').map((hop) => hop.trim()).filter(Boolean)
  while (isTrusted(client, ranges) && hops.length) {
    const next = canonicalAddress(hops.pop())
    // A hop a trusted proxy wrote that is not an address: stop at the proxy rather than guess.
    if (!next) break
    client = next
  }
  return client
}

let warned = false

export function clientAddress(headers: Headers): string {
  const peer = (globalThis as Record<symbol, unknown>)[PEER_MARK] === true ? headers.get(PEER_HEADER) : null
  const forwardedFor = headers.get('x-forwarded-for')
  const ranges = trustedProxies()
  const client = resolveClientAddress(peer, forwardedFor, ranges)
  // Behind a proxy nobody listed, every client looks like the proxy: say so once, in the log.
  if (!warned && forwardedFor && ranges.length === 0 && client !== UNKNOWN_CLIENT && forwardedFor.trim() !== client) {
    warned = true
    console.warn(`[sign-in] a request from ${client} came with X-Forwarded-For; if ${client} is your reverse proxy, list it in ET_TRUSTED_PROXIES`)
  }
  return client
}

/** Whether the socket peer is a proxy the operator listed, whose forwarded headers may be believed. */
export function peerIsTrustedProxy(peer: string | undefined): boolean {
  const address = canonicalAddress(peer)
  return address !== null && isTrusted(address, trustedProxies())
}

/**
 * Forwarded headers that only a trusted proxy may set: from anyone else they would let a client
 * claim HTTPS (the Secure cookie) or another host (the same-origin check). X-Forwarded-For is
 * weighed hop by hop in clientAddress instead.
 */
export const PROXY_ONLY_HEADERS = ['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'] as const
