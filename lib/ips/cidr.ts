import ipaddr from 'ipaddr.js'

/**
 * A range as a lead types it (`203.0.113.0/24`, `2001:db8::/48`, or one address) in the form
 * PostgreSQL's cidr type and the SIEM exports both accept: host bits kept as typed, a single
 * address widened to /32 or /128. Null when it is not a range.
 */
export function parseCidr(text: string): { text: string; family: 'ipv4' | 'ipv6' } | null {
  const trimmed = text.trim()
  try {
    const [address, bits] = trimmed.includes('/') ? ipaddr.parseCIDR(trimmed) : [ipaddr.parse(trimmed), ipaddr.parse(trimmed).kind() === 'ipv4' ? 32 : 128]
    return { text: `${address.toString()}/${bits}`, family: address.kind() }
  } catch {
    return null
  }
}
