import type { ClientBase } from 'pg'
import type { ExtendedSettings } from '@/lib/detection/extended-settings'
import { sqlFile } from '@/lib/sql-file'
import { lookupAsns } from './asn-lookup'
import { cadenceBands } from './cadence-bands'
import { campaignErrorCodes, LINKING } from './linking-rules'
import { updateSourceTotals } from './source-totals'
import { SharedNames, type OverlapSource } from './overlap-pairs'
import { connectedComponents } from './union-find'

/**
 * Recomputes the campaigns of a dataset: one actor spread over many source IPs or user agents,
 * which the reference rule misses because it counts per (IP, client app, user agent, hour).
 *
 * 1. Sources: every (IP, client app, user agent) with failed sign-ins of the rule's codes plus
 *    50126/50057, its usernames, attempts, first/last seen, network (/24, /48) and ASN (from
 *    the events, else the offline table). Sources whose sign-ins mostly are something else
 *    (office NATs, home routers) take no part; which sources mostly fail is kept per source
 *    (source-totals.ts), and so is what was read of each from the rollup and the events until
 *    its address gets events: after an append only the sources of the addresses it reached are
 *    read, not the tenant's history nor the other attackers'.
 * 2. Pairs, each within settings.campaignGapHours of each other:
 *    - same tool fingerprint (user agent, client app, app) from one /24 or /48, or one ASN;
 *    - one IP rotating user agents;
 *    - one steady cadence (≥ 5 attempts, the middle half of the gaps within 25 % of their
 *      median; cadences in one band, which spans at most 10 % above its fastest) kept by
 *      several addresses of one /24, /48 or ASN at the same time, whatever their user agents;
 *    - overlapping target lists (≥ 5 usernames in common, ≥ half of the smaller list).
 * 3. Connected components of the pairs; those of two or more sources whose combined distinct
 *    usernames reach settings.lowThreshold are campaigns, tiered like the rule.
 *
 * After an append that reached none of those sources (source-totals.ts, appendReachesCampaigns)
 * the recompute calls keepCampaigns instead: the same inputs give the same campaigns.
 *
 * Runs in the caller's transaction (the import's), like the findings refresh, so campaigns
 * never disagree with the events. A campaign found again keeps its id; one no longer found
 * is deleted; findings of member sources point at their campaign. Triage lives in
 * triage_records under the campaign key, so it stays with a campaign found again, and follows
 * one whose key changed (reattach-campaign-triage.sql). Returns the number of campaigns.
 */
export async function refreshCampaigns(db: ClientBase, datasetId: number, settings: ExtendedSettings, options: { totalsUpToDate?: boolean } = {}): Promise<number> {
  const codes = campaignErrorCodes(settings)
  // Which sources mostly fail, kept per source (source-totals.ts): the recompute brings them up to
  // date from the appended events alone before it calls this; on its own, they are filled in full.
  if (!options.totalsUpToDate) await updateSourceTotals(db, datasetId, codes, true)
  await db.query(sqlFile('campaigns/sql/create-work-tables.sql'))
  // What the rollup says of each source is kept with its totals until its address gets events:
  // only the sources an append reached are read again.
  await db.query(sqlFile('campaigns/sql/read-source-rows.sql'), [datasetId, codes, LINKING.minFailureShare])
  await db.query(sqlFile('campaigns/sql/analyze-source-rows.sql'))
  await db.query(sqlFile('campaigns/sql/read-source-profiles.sql'), [datasetId, LINKING.minFailureShare, [...LINKING.existingAccountCodes], [...LINKING.notFoundCodes]])
  await db.query(sqlFile('campaigns/sql/collect-sources.sql'), [datasetId, LINKING.minFailureShare])
  // Statistics before every join on the scratch tables, so the plans scale with them.
  await db.query(sqlFile('campaigns/sql/analyze-work-tables.sql'))
  await assignAutonomousSystems(db, datasetId)
  await db.query(sqlFile('campaigns/sql/measure-source-cadence.sql'), [datasetId, codes, LINKING.cadenceMinAttempts, LINKING.cadenceTolerance])
  await db.query(sqlFile('campaigns/sql/save-source-cadence.sql'), [datasetId])
  await assignCadenceBands(db)
  await db.query(sqlFile('campaigns/sql/analyze-work-tables.sql'))

  await db.query(sqlFile('campaigns/sql/link-sources.sql'), [settings.campaignGapHours])
  await linkOverlappingTargetLists(db, datasetId, settings.campaignGapHours)
  await assignComponents(db)
  await db.query(sqlFile('campaigns/sql/analyze-components.sql'))

  // The members' failure times (a campaign's cadence), kept per source like the ASN and cadence.
  await db.query(sqlFile('campaigns/sql/member-times-from-totals.sql'), [datasetId])
  await db.query(sqlFile('campaigns/sql/member-times-from-events.sql'), [datasetId, codes])
  await db.query(sqlFile('campaigns/sql/save-member-times.sql'), [datasetId])
  await db.query(sqlFile('campaigns/sql/measure-campaigns.sql'), [settings.lowThreshold, settings.moderateThreshold, settings.highThreshold, datasetId])
  const written = await db.query(sqlFile('campaigns/sql/upsert-campaigns.sql'), [datasetId])
  // Before the old campaigns and their sources go: they say where a re-keyed campaign's triage went.
  await db.query(sqlFile('campaigns/sql/reattach-campaign-triage.sql'), [datasetId, 'system: the campaign was found again under a new key'])
  await db.query(sqlFile('campaigns/sql/delete-stale-campaigns.sql'), [datasetId])
  await db.query(sqlFile('campaigns/sql/replace-campaign-sources.sql'))
  await db.query(sqlFile('campaigns/sql/link-findings.sql'), [datasetId])
  await db.query(sqlFile('campaigns/sql/drop-work-tables.sql'))
  campaignRuns.refreshed++
  return written.rowCount ?? 0
}

/**
 * Leaves the dataset's campaigns as they are, for a recompute after an append that reached none
 * of their inputs (source-totals.ts, appendReachesCampaigns): only the findings' links are set
 * again from the stored members, since the detectors before may have written findings anew.
 */
export async function keepCampaigns(db: ClientBase, datasetId: number): Promise<void> {
  await db.query(sqlFile('campaigns/sql/link-findings-to-members.sql'), [datasetId])
  campaignRuns.kept++
}

/** Campaign refreshes in this process, and recomputes that kept the campaigns, for the tests to see which path ran. */
export const campaignRuns = { refreshed: 0, kept: 0 }

/**
 * The events' ASN where the log had one; the offline table for the other addresses. What the
 * events say is kept per source in the totals until its address gets events, so after an append
 * only the addresses it reached are read (the same holds for the cadence, measure-source-cadence.sql).
 */
async function assignAutonomousSystems(db: ClientBase, datasetId: number): Promise<void> {
  await db.query(sqlFile('campaigns/sql/asn-from-totals.sql'), [datasetId])
  await db.query(sqlFile('campaigns/sql/asn-from-events.sql'), [datasetId])
  await db.query(sqlFile('campaigns/sql/save-source-asn.sql'), [datasetId])
  const { rows } = await db.query<{ ip_address: string }>(sqlFile('campaigns/sql/sources-without-asn.sql'))
  if (rows.length === 0) return
  const found = [...lookupAsns(rows.map((r) => r.ip_address))].filter((entry): entry is [string, number] => entry[1] !== null)
  if (found.length === 0) return
  await db.query(sqlFile('campaigns/sql/set-asn.sql'), [found.map(([ip]) => ip), found.map(([, asn]) => asn)])
}

/** Usernames read at a time from the cursor: the lists of a month's spray at 10 M events are ~9,000. */
const USERNAMES_PER_FETCH = 10_000

async function linkOverlappingTargetLists(db: ClientBase, datasetId: number, gapHours: number): Promise<void> {
  const sources = new Map<number, OverlapSource>()
  const { rows } = await db.query<{ id: number; first_us: string; last_us: string; unique_usernames: number }>(sqlFile('campaigns/sql/overlap-sources.sql'))
  for (const r of rows) sources.set(r.id, { first: Number(r.first_us), last: Number(r.last_us), usernames: r.unique_usernames })
  const shared = new SharedNames(sources, {
    gap: gapHours * 3_600_000_000,
    minShared: LINKING.minSharedUsernames,
    minFraction: LINKING.minSharedFraction,
    neighbours: LINKING.overlapNeighbours,
  })
  // A cursor: a spray of thousands of proxies can list millions of (username, source) rows.
  await db.query(sqlFile('campaigns/sql/username-source-lists.sql'), [datasetId])
  for (;;) {
    const batch = await db.query<[string]>({ text: `FETCH ${USERNAMES_PER_FETCH} FROM campaign_username_sources`, rowMode: 'array' })
    for (const [list] of batch.rows) shared.addUsername(list.split(',').map(Number))
    if (batch.rows.length < USERNAMES_PER_FETCH) break
  }
  await db.query('CLOSE campaign_username_sources')
  const pairs = shared.pairs()
  if (pairs.length === 0) return
  await db.query(sqlFile('campaigns/sql/add-overlap-edges.sql'), [pairs.map(([a]) => a), pairs.map(([, b]) => b)])
}

async function assignCadenceBands(db: ClientBase): Promise<void> {
  const { rows } = await db.query<{ id: number; network: string; autonomous_system: number | null; cadence_seconds: number }>(sqlFile('campaigns/sql/sources-with-cadence.sql'))
  if (rows.length === 0) return
  const byNetwork = cadenceBands(rows.map((r) => ({ id: r.id, group: r.network, cadenceSeconds: r.cadence_seconds })), LINKING.cadenceRatio)
  const inAs = rows.filter((r) => r.autonomous_system !== null)
  const byAs = cadenceBands(inAs.map((r) => ({ id: r.id, group: String(r.autonomous_system), cadenceSeconds: r.cadence_seconds })), LINKING.cadenceRatio)
  await db.query(sqlFile('campaigns/sql/set-cadence-bands.sql'), [rows.map((r) => r.id), rows.map((r) => byNetwork.get(r.id)), rows.map((r) => byAs.get(r.id) ?? null)])
}

async function assignComponents(db: ClientBase): Promise<void> {
  const { rows } = await db.query<{ source_a: number; source_b: number }>(sqlFile('campaigns/sql/list-edges.sql'))
  if (rows.length === 0) return
  const components = connectedComponents(rows.map((r) => [r.source_a, r.source_b] as const))
  await db.query(sqlFile('campaigns/sql/set-components.sql'), [[...components.keys()], [...components.values()]])
}
