import { getPrisma } from '@/lib/db/database'
import { DEFAULT_DETECTION_SETTINGS, type Verdict } from '@/lib/detection/enumeration'
import { sqlFile } from '@/lib/sql-file'
import { tierCounts } from '@/lib/findings/tier-counts'

/** What the overview page shows for one dataset or all of them. */
export interface Overview {
  events: number
  enumerationFailures: number
  firstEvent: string | null
  lastEvent: string | null
  /** The reference rule's hourly findings per tier, unsuppressed (the findings table's default view). */
  tierCounts: Record<Verdict, number>
  beyondTheRule: { extendedFindings: number; escalatedFindings: number; suppressedFindings: number; campaigns: number }
  hourly: HourlyActivity[]
  topSourceIps: TopSourceIp[]
}

export interface HourlyActivity {
  bucket: string
  failedSignIns: number
  targetedUsernames: number
  high: number
  moderate: number
  low: number
}

export interface TopSourceIp {
  ipAddress: string
  uniqueUsernames: number
  attempts: number
  firstSeen: string
  lastSeen: string
  findings: number
  topVerdict: Verdict | null
}

/** Source IPs the stored activity keeps, best first: the page shows 10 (getOverview gives at most this many). */
const KEPT_SOURCES = 50

type ActivityHour = [bucket: string, failedSignIns: number, targetedUsernames: number]
type ActivitySource = [ip: string, uniqueUsernames: number, attempts: number, firstSeen: string, lastSeen: string]

/**
 * The part of the overview read from the rollup — per hour the failed attempts with the rule's
 * codes and the names they targeted, and the source IPs that targeted the most names — stored in
 * overview_activity and computed again only when an import changed the datasets (the hourly
 * summary's counts are its version). Everything else on the page reads the summary or findings.
 */
async function rollupActivity(datasetIds: number[] | null, codes: string[]): Promise<{ hourly: ActivityHour[]; top_sources: ActivitySource[] }> {
  type Activity = { hourly: ActivityHour[]; top_sources: ActivitySource[] }
  const prisma = await getPrisma()
  const [cached] = await prisma.$queryRawUnsafe<Activity[]>(sqlFile('overview/sql/cached-activity.sql'), datasetIds)
  if (cached) return cached
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(sqlFile('overview/sql/lock-activity.sql'), datasetIds)
      // Another view may have computed it while this one waited for the lock.
      const [computed] = await tx.$queryRawUnsafe<Activity[]>(sqlFile('overview/sql/cached-activity.sql'), datasetIds)
      if (computed) return computed
      const [fresh] = await tx.$queryRawUnsafe<Activity[]>(sqlFile('overview/sql/refresh-activity.sql'), datasetIds, codes, KEPT_SOURCES)
      return fresh
    },
    // Reading the rule-code rollup rows of 10 M events takes seconds on a busy machine.
    { maxWait: 60_000, timeout: 120_000 },
  )
}

export async function getOverview(datasetIds: number[] | null, topIps = 10): Promise<Overview> {
  const prisma = await getPrisma()
  const codes = [...DEFAULT_DETECTION_SETTINGS.errorCodes]
  const [summary, tierRows, beyond, flagged, activity] = await Promise.all([
    prisma.$queryRawUnsafe<{ events: bigint; enumeration_failures: bigint; first_event: Date | null; last_event: Date | null }[]>(
      sqlFile('overview/sql/dataset-summary.sql'),
      datasetIds,
      codes,
    ),
    prisma.$queryRawUnsafe<{ verdict: Verdict; findings: number }[]>(sqlFile('findings/sql/count-findings-by-verdict.sql'), datasetIds),
    prisma.$queryRawUnsafe<{ extended_findings: number; escalated_findings: number; suppressed_findings: number; campaigns: number }[]>(
      sqlFile('overview/sql/beyond-the-rule.sql'),
      datasetIds,
    ),
    prisma.$queryRawUnsafe<{ bucket: Date; high: number; moderate: number; low: number }[]>(sqlFile('overview/sql/findings-per-hour.sql'), datasetIds),
    rollupActivity(datasetIds, codes),
  ])
  const topSources = activity.top_sources.slice(0, Math.min(topIps, KEPT_SOURCES))
  const sourceFindings = topSources.length
    ? await prisma.$queryRawUnsafe<{ ip_address: string; findings: number; top_verdict: Verdict | null }[]>(
        sqlFile('overview/sql/top-source-findings.sql'),
        datasetIds,
        topSources.map((t) => t[0]),
      )
    : []
  const findingsOf = new Map(sourceFindings.map((f) => [f.ip_address, f]))

  // The chart: every hour with failed attempts or findings, the two joined on the hour.
  const hours = new Map<string, HourlyActivity>()
  const hour = (bucket: string) => {
    let h = hours.get(bucket)
    if (!h) hours.set(bucket, (h = { bucket, failedSignIns: 0, targetedUsernames: 0, high: 0, moderate: 0, low: 0 }))
    return h
  }
  for (const [bucket, failed, targeted] of activity.hourly) Object.assign(hour(new Date(bucket).toISOString()), { failedSignIns: Number(failed), targetedUsernames: Number(targeted) })
  for (const f of flagged) Object.assign(hour(f.bucket.toISOString()), { high: Number(f.high), moderate: Number(f.moderate), low: Number(f.low) })

  return {
    events: Number(summary[0].events),
    enumerationFailures: Number(summary[0].enumeration_failures),
    firstEvent: summary[0].first_event?.toISOString() ?? null,
    lastEvent: summary[0].last_event?.toISOString() ?? null,
    tierCounts: tierCounts(tierRows),
    beyondTheRule: {
      extendedFindings: Number(beyond[0].extended_findings),
      escalatedFindings: Number(beyond[0].escalated_findings),
      suppressedFindings: Number(beyond[0].suppressed_findings),
      campaigns: Number(beyond[0].campaigns),
    },
    hourly: [...hours.values()].sort((a, b) => a.bucket.localeCompare(b.bucket)),
    topSourceIps: topSources.map(([ip, uniqueUsernames, attempts, firstSeen, lastSeen]) => ({
      ipAddress: ip,
      uniqueUsernames: Number(uniqueUsernames),
      attempts: Number(attempts),
      firstSeen: new Date(firstSeen).toISOString(),
      lastSeen: new Date(lastSeen).toISOString(),
      findings: Number(findingsOf.get(ip)?.findings ?? 0),
      topVerdict: findingsOf.get(ip)?.top_verdict ?? null,
    })),
  }
}
