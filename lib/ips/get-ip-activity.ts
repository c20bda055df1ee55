import { capNullable, capText } from '@/lib/display/cap-text'
import { getPool, getPrisma } from '@/lib/db/database'
import { DEFAULT_DETECTION_SETTINGS, type Verdict } from '@/lib/detection/enumeration'
import { EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES } from '@/lib/detection/extended-settings'
import { normaliseIp } from '@/lib/ingest/normalise'
import { sqlFile } from '@/lib/sql-file'

/** One source IP across the datasets: the per-IP page and /api/ips/{ip}. */
export interface IpActivity {
  ipAddress: string
  events: number
  enumerationFailures: number
  /** Distinct usernames with the rule's codes (what the rule counts). */
  targetedUsernames: number
  /** Distinct usernames with any code that says whether the account exists (rule codes, 50126, 50057). */
  probedUsernames: number
  /** Distinct names this address learnt do not exist (50034). */
  notFoundUsernames: number
  /** Distinct accounts this address learnt exist (EXISTING_ACCOUNT_CODES). */
  confirmedAccounts: number
  successes: number
  firstSeen: string | null
  lastSeen: string | null
  datasetIds: number[]
  clients: IpClient[]
  locations: IpLocation[]
  timeline: TimelinePoint[]
  buckets: IpBucket[]
}

export interface IpClient {
  clientAppUsed: string
  userAgent: string
  events: number
  enumerationFailures: number
  usernames: number
  firstSeen: string
  lastSeen: string
}

export interface IpLocation {
  city: string | null
  state: string | null
  country: string | null
  autonomousSystem: number | null
  events: number
}

/** Attempts per error code and distinct usernames in one time bin. */
export interface TimelinePoint {
  bucket: string
  attemptsByCode: Record<string, number>
  attempts: number
  /** Targeted usernames: the rule's codes, as IpActivity.targetedUsernames. */
  usernames: number
  /** Names probed: any code that says whether the account exists, as IpActivity.probedUsernames. */
  probedUsernames: number
}

/** Codes that tell the prober whether an account exists: the rule's, and those the rule leaves out. */
export function probeCodes(ruleCodes: readonly string[]): string[] {
  return [...new Set([...ruleCodes, ...EXISTING_ACCOUNT_CODES, ...NOT_FOUND_CODES])]
}

export interface IpBucket {
  datasetId: number
  datasetName: string
  bucket: string
  clientAppUsed: string
  userAgent: string
  uniqueUsernames: number
  attempts: number
  firstSeen: string
  lastSeen: string
  findingId: number | null
  verdict: Verdict | null
}

interface TimelineRow {
  /** A Date from Prisma; milliseconds since 1970 from ip-rollup-profile.sql's JSON. */
  bucket: Date | number
  error_code: string | null
  attempts: number
  usernames: number
  probed_usernames: number
}

/** ip-events-profile.sql's one row: three JSON values, times in milliseconds since 1970. */
interface EventsProfileRow {
  summary: {
    events: number
    enumeration_failures: number
    targeted_usernames: number
    probed_usernames: number
    not_found_usernames: number
    confirmed_accounts: number
    successes: number
    first_seen: number | null
    last_seen: number | null
    dataset_ids: number[]
  }
  clients: { client_app_used: string; user_agent: string; events: number; enumeration_failures: number; usernames: number; first_seen: number; last_seen: number }[]
  locations: { location_city: string | null; location_state: string | null; location_country: string | null; autonomous_system: number | null; events: number }[]
}

/** ip-rollup-profile.sql's one row: two JSON values, times in milliseconds since 1970. */
interface RollupProfileRow {
  timeline: (TimelineRow & { bucket: number })[]
  buckets: {
    dataset_id: number
    dataset_name: string
    bucket: number
    client_app_used: string
    user_agent: string
    unique_usernames: number
    attempts: number
    first_seen: number
    last_seen: number
    finding_id: number | null
    verdict: Verdict | null
  }[]
}

/** A Date (Prisma) or milliseconds since 1970 (the profiles' JSON) as ISO 8601 UTC. */
const isoTime = (time: Date | number): string => new Date(time).toISOString()

export class InvalidIpError extends Error {}

export function parseIp(text: string): string {
  const ip = normaliseIp(decodeURIComponent(text))
  if (!ip) throw new InvalidIpError(`not an IP address: ${text.slice(0, 60)}`)
  return ip
}

function toTimeline(rows: TimelineRow[]): TimelinePoint[] {
  const points = new Map<string, TimelinePoint>()
  for (const row of rows) {
    const key = isoTime(row.bucket)
    let point = points.get(key)
    if (!point) {
      point = { bucket: key, attemptsByCode: {}, attempts: 0, usernames: 0, probedUsernames: 0 }
      points.set(key, point)
    }
    // The grouping-set row without a code carries the hour's distinct usernames and total.
    if (row.error_code === null) {
      point.usernames = Number(row.usernames)
      point.probedUsernames = Number(row.probed_usernames)
      point.attempts = Number(row.attempts)
    } else point.attemptsByCode[row.error_code] = Number(row.attempts)
  }
  return [...points.values()]
}

export async function getIpActivity(ip: string, datasetIds: number[] | null): Promise<IpActivity> {
  const codes = [...DEFAULT_DETECTION_SETTINGS.errorCodes]
  const pool = await getPool()
  // The address's events read once for its totals, clients and locations, and its rollup rows
  // once for its timeline and hours (ip-events-profile.sql, ip-rollup-profile.sql).
  const [profile, rollup] = await Promise.all([
    pool.query<EventsProfileRow>(sqlFile('ips/sql/ip-events-profile.sql'), [ip, datasetIds, codes, EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES, probeCodes(codes)]),
    pool.query<RollupProfileRow>(sqlFile('ips/sql/ip-rollup-profile.sql'), [ip, datasetIds, codes, probeCodes(codes)]),
  ])
  const { summary: s, clients, locations } = profile.rows[0]
  const { timeline, buckets } = rollup.rows[0]
  return {
    ipAddress: ip,
    events: s.events,
    enumerationFailures: s.enumeration_failures,
    targetedUsernames: s.targeted_usernames,
    probedUsernames: s.probed_usernames,
    notFoundUsernames: s.not_found_usernames,
    confirmedAccounts: s.confirmed_accounts,
    successes: s.successes,
    firstSeen: s.first_seen === null ? null : isoTime(s.first_seen),
    lastSeen: s.last_seen === null ? null : isoTime(s.last_seen),
    datasetIds: s.dataset_ids,
    clients: clients.map((c) => ({
      clientAppUsed: capText(c.client_app_used),
      userAgent: capText(c.user_agent),
      events: c.events,
      enumerationFailures: c.enumeration_failures,
      usernames: c.usernames,
      firstSeen: isoTime(c.first_seen),
      lastSeen: isoTime(c.last_seen),
    })),
    locations: locations.map((l) => ({
      city: capNullable(l.location_city),
      state: capNullable(l.location_state),
      country: capNullable(l.location_country),
      autonomousSystem: l.autonomous_system,
      events: l.events,
    })),
    timeline: toTimeline(timeline),
    buckets: buckets.map((b) => ({
      datasetId: b.dataset_id,
      datasetName: b.dataset_name,
      bucket: isoTime(b.bucket),
      clientAppUsed: capText(b.client_app_used),
      userAgent: capText(b.user_agent),
      uniqueUsernames: b.unique_usernames,
      attempts: b.attempts,
      firstSeen: isoTime(b.first_seen),
      lastSeen: isoTime(b.last_seen),
      findingId: b.finding_id,
      verdict: b.verdict,
    })),
  }
}

/** The zoomed-in timeline: bins of `binMinutes` within [from, to), from the raw events. */
export async function getIpFineTimeline(ip: string, datasetIds: number[] | null, from: Date, to: Date, binMinutes: number): Promise<TimelinePoint[]> {
  const prisma = await getPrisma()
  const codes = [...DEFAULT_DETECTION_SETTINGS.errorCodes]
  const rows = await prisma.$queryRawUnsafe<TimelineRow[]>(sqlFile('ips/sql/ip-timeline-fine.sql'), ip, datasetIds, from, to, `${binMinutes} minutes`, codes, probeCodes(codes))
  return toTimeline(rows)
}
