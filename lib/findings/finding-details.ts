import { capNullable, capText } from '@/lib/display/cap-text'
import { getPrisma } from '@/lib/db/database'
import { accountExistsFromCodes } from '@/lib/detection/error-codes'
import { sqlFile } from '@/lib/sql-file'
import type { Verdict } from '@/lib/detection/verdicts'
import { toFindingRow, type FindingDbRow, type FindingRow } from './finding-row'

/** The drill-down of one finding: every username and every event behind it. */

export interface FindingDetail extends FindingRow {
  windowMinutes: number
  errorCodes: string[]
  detectedAt: string
  kind: 'hourly' | 'sliding' | 'low_and_slow'
  notFoundUsernames: number
  confirmedAccounts: number
  slidingPeakUsernames: number | null
  slidingPeakStart: string | null
  slidingVerdict: Verdict | null
  escalated: boolean
  suppressedBy: { id: number; name: string; reason: string } | null
  campaignId: number | null
}

/** A probed account whose password later proved right, and the sign-in that showed it. */
export interface FindingEscalation {
  userPrincipalName: string
  eventId: string
  eventTime: string
  errorCode: string
  ipAddress: string
  relation: string
}

export interface FindingUsername {
  userPrincipalName: string
  attempts: number
  errorCodes: string[]
  /** From the codes: true = the account exists, false = no such account, null = unknown. */
  accountExists: boolean | null
  firstAttempt: string
  lastAttempt: string
}

export interface FindingEvent {
  id: string
  createdAt: string
  userPrincipalName: string
  errorCode: string | null
  appDisplayName: string
  failureReason: string | null
  isInteractive: boolean | null
  sourceFormat: string
  sourceEventId: string
}

/** Enough for a smooth virtualised table; a finding with more events says so. */
export const MAX_FINDING_EVENTS = 20_000

export async function getFinding(id: number): Promise<FindingDetail | null> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<
    (FindingDbRow & {
      window_minutes: number
      error_codes: string[] | null
      detected_at: Date
      kind: FindingDetail['kind']
      not_found_usernames: number
      confirmed_accounts: number
      sliding_peak_usernames: number | null
      sliding_peak_start: Date | null
      sliding_verdict: Verdict | null
      escalated: boolean
      suppressed_by_id: number | null
      suppressed_by_name: string | null
      suppressed_reason: string | null
      campaign_id: number | null
    })[]
  >(sqlFile('findings/sql/get-finding.sql'), id)
  const row = rows[0]
  if (!row) return null
  return {
    ...toFindingRow(row),
    windowMinutes: row.window_minutes,
    errorCodes: row.error_codes ?? [],
    detectedAt: row.detected_at.toISOString(),
    kind: row.kind,
    notFoundUsernames: Number(row.not_found_usernames),
    confirmedAccounts: Number(row.confirmed_accounts),
    slidingPeakUsernames: row.sliding_peak_usernames,
    slidingPeakStart: row.sliding_peak_start?.toISOString() ?? null,
    slidingVerdict: row.sliding_verdict,
    escalated: row.escalated,
    suppressedBy: row.suppressed_by_id ? { id: row.suppressed_by_id, name: row.suppressed_by_name ?? '', reason: row.suppressed_reason ?? '' } : null,
    campaignId: row.campaign_id,
  }
}

export async function getFindingUsernames(id: number): Promise<FindingUsername[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<{ user_principal_name: string; attempts: number; error_codes: string[]; first_attempt: Date; last_attempt: Date }[]>(
    sqlFile('findings/sql/finding-usernames.sql'),
    id,
  )
  return rows.map((r) => ({
    userPrincipalName: capText(r.user_principal_name),
    attempts: Number(r.attempts),
    errorCodes: r.error_codes,
    accountExists: accountExistsFromCodes(r.error_codes),
    firstAttempt: r.first_attempt.toISOString(),
    lastAttempt: r.last_attempt.toISOString(),
  }))
}

export async function getFindingEvents(id: number, limit = MAX_FINDING_EVENTS): Promise<FindingEvent[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<
    {
      id: bigint
      created_at: Date
      user_principal_name: string
      error_code: string | null
      app_display_name: string
      failure_reason: string | null
      is_interactive: boolean | null
      source_format: string
      source_event_id: string
    }[]
  >(sqlFile('findings/sql/finding-events.sql'), id, limit)
  return rows.map((r) => ({
    id: String(r.id),
    createdAt: r.created_at.toISOString(),
    userPrincipalName: capText(r.user_principal_name),
    errorCode: r.error_code,
    appDisplayName: capText(r.app_display_name),
    failureReason: capNullable(r.failure_reason),
    isInteractive: r.is_interactive,
    sourceFormat: r.source_format,
    sourceEventId: r.source_event_id,
  }))
}

export async function getFindingEscalations(id: number): Promise<FindingEscalation[]> {
  const prisma = await getPrisma()
  const rows = await prisma.$queryRawUnsafe<{ user_principal_name: string; event_id: bigint; event_time: Date; error_code: string; ip_address: string; relation: string }[]>(
    sqlFile('findings/sql/finding-escalation-list.sql'),
    id,
  )
  return rows.map((r) => ({
    userPrincipalName: capText(r.user_principal_name),
    eventId: String(r.event_id),
    eventTime: r.event_time.toISOString(),
    errorCode: r.error_code,
    ipAddress: r.ip_address,
    relation: r.relation,
  }))
}
