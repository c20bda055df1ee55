import type { Random } from './random'

/**
 * Where sign-ins come from. Every address is from a range reserved for documentation or
 * benchmarking (RFC 5737 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 2544 198.18.0.0/15;
 * RFC 3849 2001:db8::/32) and every AS number from RFC 5398 (64496-64511), so nothing in the demo
 * points at a real network.
 *
 *   198.51.100.0/24  Contoso's own egress: offices, the datacenter, allow-listed partners
 *   198.18.0.0/15    employees' home broadband
 *   2001:db8:1::/48  employees' phones (mobile carrier)
 *   192.0.2.0/24     single-address attackers and the pen-test firm
 *   203.0.113.0/24   the rotating-address spray (an API-gateway pool) and hosting providers
 *   2001:db8:bad::/48 an attacker's IPv6 VPS
 */

export interface Place {
  city: string
  state: string
  countryOrRegion: string
  latitude: number
  longitude: number
}

export const PLACES = {
  seattle: { city: 'Seattle', state: 'Washington', countryOrRegion: 'US', latitude: 47.61, longitude: -122.33 },
  newYork: { city: 'New York', state: 'New York', countryOrRegion: 'US', latitude: 40.71, longitude: -74.01 },
  london: { city: 'London', state: 'England', countryOrRegion: 'GB', latitude: 51.51, longitude: -0.13 },
  amsterdam: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL', latitude: 52.37, longitude: 4.89 },
  dublin: { city: 'Dublin', state: 'Dublin', countryOrRegion: 'IE', latitude: 53.35, longitude: -6.26 },
  frankfurt: { city: 'Frankfurt am Main', state: 'Hessen', countryOrRegion: 'DE', latitude: 50.11, longitude: 8.68 },
  ashburn: { city: 'Ashburn', state: 'Virginia', countryOrRegion: 'US', latitude: 39.04, longitude: -77.49 },
  bucharest: { city: 'Bucharest', state: 'Bucuresti', countryOrRegion: 'RO', latitude: 44.43, longitude: 26.1 },
  singapore: { city: 'Singapore', state: 'Singapore', countryOrRegion: 'SG', latitude: 1.29, longitude: 103.85 },
  saoPaulo: { city: 'São Paulo', state: 'São Paulo', countryOrRegion: 'BR', latitude: -23.55, longitude: -46.63 },
} as const satisfies Record<string, Place>

export const ASN = {
  contoso: 64496,
  usBroadband: 64497,
  ukBroadband: 64498,
  nlBroadband: 64499,
  mobileCarrier: 64500,
  hostingNl: 64501,
  hostingDe: 64502,
  cloudGateway: 64503,
  vpsIpv6: 64504,
  penTestFirm: 64505,
  governanceSaas: 64506,
  hostingRo: 64507,
  hostingBr: 64508,
  hostingSg: 64509,
} as const

export interface Office {
  id: string
  place: Place
  /** Fixed offset from UTC: the demo ignores daylight saving time, so it never depends on a time-zone database. */
  utcOffsetHours: number
  /** NAT egress addresses everyone in the building shares. */
  egressIps: readonly string[]
  homeAsn: number
}

export const OFFICES: readonly Office[] = [
  { id: 'seattle', place: PLACES.seattle, utcOffsetHours: -8, egressIps: ['198.51.100.10', '198.51.100.11'], homeAsn: ASN.usBroadband },
  { id: 'new-york', place: PLACES.newYork, utcOffsetHours: -5, egressIps: ['198.51.100.40'], homeAsn: ASN.usBroadband },
  { id: 'london', place: PLACES.london, utcOffsetHours: 0, egressIps: ['198.51.100.70', '198.51.100.71'], homeAsn: ASN.ukBroadband },
  { id: 'amsterdam', place: PLACES.amsterdam, utcOffsetHours: 1, egressIps: ['198.51.100.100'], homeAsn: ASN.nlBroadband },
]

/** Contoso's datacenter in Seattle: where the Entra Connect server lives. */
export const DATACENTER_SYNC_IP = '198.51.100.20'

/** A home broadband address in 198.18.0.0/15. */
export function homeIp(rng: Random): string {
  return `198.${rng.int(18, 19)}.${rng.int(0, 255)}.${rng.int(1, 254)}`
}

/** A phone's address in 2001:db8:1::/48, written the way Entra and PostgreSQL print IPv6 (RFC 5952). */
export function mobileIp(rng: Random): string {
  const group = () => rng.int(1, 0xffff).toString(16)
  return `2001:db8:1:${group()}::${group()}`
}
