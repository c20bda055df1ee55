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

export async function getOverview(datasetIds: number[] | null, topIps = 10): Promise<Overview> {
  const prisma = await getPrisma()
  const codes = [...DEFAULT_DETECTION_SETTINGS.errorCodes]
  const [summary, tierRows, beyond, hourly, top] = await Promise.all([
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
    prisma.$queryRawUnsafe<{ bucket: Date; failed_sign_ins: number; targeted_usernames: number; high: number; moderate: number; low: number }[]>(
      sqlFile('overview/sql/hourly-activity.sql'),
      datasetIds,
      codes,
    ),
    prisma.$queryRawUnsafe<
      { ip_address: string; unique_usernames: number; attempts: number; first_seen: Date; last_seen: Date; findings: number; top_verdict: Verdict | null }[]
    >(sqlFile('overview/sql/top-source-ips.sql'), datasetIds, codes, topIps),
  ])
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
    hourly: hourly.map((h) => ({
      bucket: h.bucket.toISOString(),
      failedSignIns: Number(h.failed_sign_ins),
      targetedUsernames: Number(h.targeted_usernames),
      high: Number(h.high),
      moderate: Number(h.moderate),
      low: Number(h.low),
    })),
    topSourceIps: top.map((t) => ({
      ipAddress: t.ip_address,
      uniqueUsernames: Number(t.unique_usernames),
      attempts: Number(t.attempts),
      firstSeen: t.first_seen.toISOString(),
      lastSeen: t.last_seen.toISOString(),
      findings: Number(t.findings),
      topVerdict: t.top_verdict,
    })),
  }
}
