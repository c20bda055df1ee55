import { readFileSync } from 'node:fs'
import path from 'node:path'
import ipaddr from 'ipaddr.js'
import { projectRoot } from '@/lib/db/project-root'

/**
 * Offline IP → autonomous system number, for sign-ins whose log carried no ASN (portal CSVs
 * without the column, LogScale records, older exports). The data is the npm package
 * @ip-location-db/asn (RouteViews, the five RIRs and DB-IP ASN Lite, CC BY 4.0): its numeric
 * CSVs of inclusive ranges, about 410,000 IPv4 and 100,000 IPv6 rows, ~32 MB on disk. They are
 * read once per process, on the first lookup, into sorted typed arrays searched by bisection.
 * Refreshing the data means updating the package (`npm update @ip-location-db/asn`) and
 * restarting the app; nothing is downloaded at run time.
 */

const PACKAGE_DIR = ['node_modules', '@ip-location-db', 'asn']

interface V4Table {
  starts: Uint32Array
  ends: Uint32Array
  asns: Uint32Array
}

/** 128-bit addresses as two 64-bit halves, compared high half first. */
interface V6Table {
  startHigh: BigUint64Array
  startLow: BigUint64Array
  endHigh: BigUint64Array
  endLow: BigUint64Array
  asns: Uint32Array
}

interface Tables {
  v4: V4Table
  v6: V6Table
}

let tables: Tables | null = null

function packageFile(name: string): string {
  return path.join(/*turbopackIgnore: true*/ projectRoot(), ...PACKAGE_DIR, name)
}

/**
 * The first three fields of each line (`start,end,asn,"organisation, with commas"`); the
 * organisation is not needed, so lines are cut by hand instead of going through a CSV parser.
 */
function* ranges(file: string): Generator<[string, string, number]> {
  const text = readFileSync(packageFile(file), 'utf8')
  let at = 0
  while (at < text.length) {
    let end = text.indexOf('\n', at)
    if (end === -1) end = text.length
    const first = text.indexOf(',', at)
    const second = first === -1 ? -1 : text.indexOf(',', first + 1)
    if (second !== -1 && second < end) {
      let third = text.indexOf(',', second + 1)
      if (third === -1 || third > end) third = end
      const asn = Number(text.slice(second + 1, third))
      if (Number.isInteger(asn) && asn > 0) yield [text.slice(at, first), text.slice(first + 1, second), asn]
    }
    at = end + 1
  }
}

function loadV4(): V4Table {
  const starts: number[] = []
  const ends: number[] = []
  const asns: number[] = []
  for (const [start, end, asn] of ranges('asn-ipv4-num.csv')) {
    starts.push(Number(start))
    ends.push(Number(end))
    asns.push(asn)
  }
  return { starts: Uint32Array.from(starts), ends: Uint32Array.from(ends), asns: Uint32Array.from(asns) }
}

const LOW_MASK = (1n << 64n) - 1n

function loadV6(): V6Table {
  const rows: [bigint, bigint, number][] = []
  for (const [start, end, asn] of ranges('asn-ipv6-num.csv')) rows.push([BigInt(start), BigInt(end), asn])
  const table: V6Table = {
    startHigh: new BigUint64Array(rows.length),
    startLow: new BigUint64Array(rows.length),
    endHigh: new BigUint64Array(rows.length),
    endLow: new BigUint64Array(rows.length),
    asns: new Uint32Array(rows.length),
  }
  rows.forEach(([start, end, asn], i) => {
    table.startHigh[i] = start >> 64n
    table.startLow[i] = start & LOW_MASK
    table.endHigh[i] = end >> 64n
    table.endLow[i] = end & LOW_MASK
    table.asns[i] = asn
  })
  return table
}

function loadTables(): Tables {
  tables ??= { v4: loadV4(), v6: loadV6() }
  return tables
}

/** Index of the last range starting at or before the address, or -1. */
function lastStartAtOrBefore(count: number, startsAfter: (i: number) => boolean): number {
  let low = 0
  let high = count - 1
  let found = -1
  while (low <= high) {
    const mid = (low + high) >>> 1
    if (startsAfter(mid)) high = mid - 1
    else {
      found = mid
      low = mid + 1
    }
  }
  return found
}

function lookupV4(table: V4Table, address: number): number | null {
  const i = lastStartAtOrBefore(table.starts.length, (mid) => table.starts[mid] > address)
  return i >= 0 && address <= table.ends[i] ? table.asns[i] : null
}

function lookupV6(table: V6Table, high: bigint, low: bigint): number | null {
  const i = lastStartAtOrBefore(table.asns.length, (mid) => table.startHigh[mid] > high || (table.startHigh[mid] === high && table.startLow[mid] > low))
  if (i < 0) return null
  const inside = high < table.endHigh[i] || (high === table.endHigh[i] && low <= table.endLow[i])
  return inside ? table.asns[i] : null
}

/** The announcing AS of an address, or null (unannounced, private, documentation, invalid). */
export function lookupAsn(ip: string): number | null {
  if (!ipaddr.isValid(ip)) return null
  let address = ipaddr.parse(ip)
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address()
  const { v4, v6 } = loadTables()
  if (address.kind() === 'ipv4') {
    const [a, b, c, d] = (address as ipaddr.IPv4).octets
    return lookupV4(v4, ((a << 24) >>> 0) + (b << 16) + (c << 8) + d)
  }
  const value = (address as ipaddr.IPv6).parts.reduce((acc, part) => (acc << 16n) | BigInt(part), 0n)
  return lookupV6(v6, value >> 64n, value & LOW_MASK)
}

/** Looks up many addresses; loads the data only when there is something to look up. */
export function lookupAsns(ips: readonly string[]): Map<string, number | null> {
  return new Map(ips.map((ip) => [ip, lookupAsn(ip)]))
}
