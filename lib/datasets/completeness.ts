import { getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { shareText } from '@/lib/display/share'
import { cappedFilesSpot, PORTAL_EXPORT_CAP } from './capped-files'

/**
 * The data-completeness report of a dataset: what it covers, and the blind spots an analyst
 * must know before trusting "no findings" — gaps, missing sign-in types, truncated exports,
 * fields the detection groups by that the source did not carry.
 */
export interface Completeness {
  firstEvent: string | null
  lastEvent: string | null
  events: number
  interactive: number
  nonInteractive: number
  interactiveUnknown: number
  missing: { userAgent: number; clientApp: number; app: number; location: number; autonomousSystem: number; ip: number; upn: number }
  gaps: { from: string; to: string }[]
  gapCount: number
  /** Portal downloads stop at 100,000 rows (./capped-files.ts): a file with exactly that many was probably cut. */
  cappedFiles: string[]
  /** Files that repeated events already stored (overlapping exports). */
  overlappingFiles: { fileName: string; duplicates: number }[]
  blindSpots: string[]
}

/** A gap shorter than this inside a quiet night is normal; longer ones are reported. */
const GAP_WORTH_NAMING_HOURS = 6

interface Row {
  first_event: Date | null
  last_event: Date | null
  events: bigint
  interactive: bigint
  non_interactive: bigint
  interactive_unknown: bigint
  without_user_agent: bigint
  without_client_app: bigint
  without_app: bigint
  without_location: bigint
  without_asn: bigint
  without_ip: bigint
  without_upn: bigint
  gaps: { from: string; to: string }[]
  gap_count: number
}

export async function datasetCompleteness(datasetId: number): Promise<Completeness> {
  const prisma = await getPrisma()
  const [[row], jobs] = await Promise.all([
    prisma.$queryRawUnsafe<Row[]>(sqlFile('datasets/sql/completeness.sql'), datasetId),
    prisma.importJob.findMany({ where: { datasetId, status: 'succeeded' }, select: { fileName: true, rowsRead: true, rowsDuplicate: true, detectedFormat: true }, orderBy: { createdAt: 'asc' } }),
  ])
  const events = Number(row.events)
  const c: Completeness = {
    firstEvent: row.first_event?.toISOString() ?? null,
    lastEvent: row.last_event?.toISOString() ?? null,
    events,
    interactive: Number(row.interactive),
    nonInteractive: Number(row.non_interactive),
    interactiveUnknown: Number(row.interactive_unknown),
    missing: {
      userAgent: Number(row.without_user_agent),
      clientApp: Number(row.without_client_app),
      app: Number(row.without_app),
      location: Number(row.without_location),
      autonomousSystem: Number(row.without_asn),
      ip: Number(row.without_ip),
      upn: Number(row.without_upn),
    },
    gaps: row.gaps.map((g) => ({ from: new Date(g.from).toISOString(), to: new Date(g.to).toISOString() })),
    gapCount: row.gap_count,
    cappedFiles: jobs.filter((j) => j.rowsRead === PORTAL_EXPORT_CAP && j.detectedFormat?.startsWith('portal')).map((j) => j.fileName),
    overlappingFiles: jobs.filter((j) => j.rowsDuplicate > 0).map((j) => ({ fileName: j.fileName, duplicates: j.rowsDuplicate })),
    blindSpots: [],
  }
  if (events === 0) return c
  const spots = c.blindSpots
  if (c.nonInteractive === 0 && c.interactiveUnknown === 0) spots.push('no non-interactive sign-ins: token-replay and legacy-protocol enumeration is not visible (export or fetch the non-interactive log too)')
  if (c.interactive === 0 && c.interactiveUnknown === 0) spots.push('no interactive sign-ins: most enumeration tools land there (export or fetch the interactive log too)')
  if (c.missing.userAgent === events) spots.push('no user agent in any event (e.g. Graph v1.0 or an export without that column): findings group every client under an empty user agent')
  else if (c.missing.userAgent > events / 2) spots.push(`${shareText(c.missing.userAgent, events)} of events have no user agent`)
  if (c.missing.clientApp === events) spots.push('no client app in any event')
  if (c.missing.ip > 0) spots.push(`${shareText(c.missing.ip, events)} of events have no usable IP address and are not counted by the detection`)
  if (c.missing.location === events && c.missing.autonomousSystem === events) spots.push('no location or autonomous system: network-based grouping of rotating IPs is limited')
  const capped = cappedFilesSpot(c.cappedFiles)
  if (capped) spots.push(capped)
  const longGaps = c.gaps.filter((g) => Date.parse(g.to) - Date.parse(g.from) >= GAP_WORTH_NAMING_HOURS * 3_600_000)
  if (longGaps.length) spots.push(`${longGaps.length} gap${longGaps.length > 1 ? 's' : ''} of ${GAP_WORTH_NAMING_HOURS} hours or more without any sign-in, the longest ${longGaps[0].from} – ${longGaps[0].to}`)
  return c
}
