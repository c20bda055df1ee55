import { getEventRecords } from '@/lib/events/get-event-record'
import { getFindingTriage } from '@/lib/triage/triage-queries'
import { confirmedAccounts } from '@/lib/remediation/confirmed-accounts'
import { getFinding, getFindingEscalations, getFindingEvents, getFindingUsernames, MAX_FINDING_EVENTS } from './finding-details'

/**
 * Everything about one finding in one file, for a case record or a hand-over: the finding,
 * every username, every event with its original record, and the triage history.
 */
export async function evidenceBundle(findingId: number, exportedBy: string) {
  const finding = await getFinding(findingId)
  if (!finding) return null
  const [usernames, events, triage] = await Promise.all([getFindingUsernames(findingId), getFindingEvents(findingId), getFindingTriage(findingId, finding.verdict, finding.escalated)])
  const [records, escalations, confirmed] = await Promise.all([getEventRecords(events.map((e) => BigInt(e.id))), getFindingEscalations(findingId), confirmedAccounts({ findingId })])
  return {
    kind: 'enumeration-triage.evidence-bundle',
    version: 1,
    exportedAt: new Date().toISOString(),
    exportedBy,
    finding,
    usernames,
    confirmedAccounts: confirmed,
    escalations,
    events: events.map((event) => ({ ...event, originalRecord: records.get(event.id) ?? null })),
    eventsTruncated: events.length >= MAX_FINDING_EVENTS,
    triage: triage.state,
    comments: triage.comments,
    auditTrail: triage.audit,
  }
}
