import type { ClientBase } from 'pg'
import { sqlFile } from '@/lib/sql-file'
import { LINKING } from './linking-rules'

/**
 * Which sources take part in campaigns, without reading the dataset's whole rollup after an
 * append. A source (IP, client app, user agent) takes part when most of its sign-ins are failures
 * with the campaign codes (LINKING.minFailureShare): people at work fail now and then, tools fail
 * nearly every time. That share is over the source's whole history, and an hour of a tenant's
 * sign-ins touches most of its addresses, so it is kept per source in campaign_source_totals:
 * filled from the rollup by a full recompute (or when the codes changed), and brought up to date
 * by adding the events appended since, read by their ids (events-sequence.sql says why ids
 * stored later are always higher). The work after an append follows the appended events, not the
 * dataset. The totals also keep what the campaigns measured of a source from its events (ASN,
 * cadence) until its address gets events. `added`: the totals were brought up to date by addition, and what was added is in
 * campaign_source_delta until the transaction ends (false: they were filled in full).
 */
export async function updateSourceTotals(db: ClientBase, datasetId: number, codes: string[], full: boolean): Promise<{ added: boolean }> {
  await db.query(sqlFile('campaigns/sql/create-source-delta.sql'))
  const { rows: state } = await db.query<{ events_seen: string | null; campaign_codes: string[] | null }>(sqlFile('campaigns/sql/source-totals-state.sql'), [datasetId])
  const { rows: now } = await db.query<{ seen: string }>(sqlFile('campaigns/sql/events-sequence.sql'))
  const seen = now[0].seen
  const before = state[0]
  const sameCodes = before?.campaign_codes != null && before.campaign_codes.join(',') === codes.join(',')
  let added = true
  if (full || !before || before.events_seen === null || !sameCodes) {
    await db.query(sqlFile('campaigns/sql/clear-source-totals.sql'), [datasetId])
    await db.query(sqlFile('campaigns/sql/sum-source-totals.sql'), [datasetId, codes])
    await db.query(sqlFile('campaigns/sql/fill-source-totals.sql'), [datasetId])
    await db.query(sqlFile('campaigns/sql/drop-source-sums.sql'))
    added = false
  } else if (BigInt(seen) > BigInt(before.events_seen!)) {
    await db.query(sqlFile('campaigns/sql/add-source-totals.sql'), [datasetId, before.events_seen, seen, codes])
    // What the campaigns measured of these addresses' sources from their events no longer holds,
    // but for their failures' times, which take the appended ones in.
    await db.query(sqlFile('campaigns/sql/forget-source-measures.sql'), [datasetId, before.events_seen, seen, codes])
  }
  await db.query(sqlFile('campaigns/sql/save-source-totals-state.sql'), [datasetId, seen, codes])
  return { added }
}

/**
 * After updateSourceTotals added appended events (`added`), whether they can change the dataset's
 * campaigns (sql/delta-reaches-campaigns.sql): false when no source of an address they reached
 * takes part in campaigns, before or after. The recompute then leaves the campaigns as they are
 * instead of linking and measuring every attacker source of the dataset again, which gives the
 * same campaigns: at 10 M events an hour of people signing in spent ~0.65 s of its ~1.1 s
 * recompute on that.
 */
export async function appendReachesCampaigns(db: ClientBase, datasetId: number): Promise<boolean> {
  const { rows } = await db.query<{ reaches: boolean }>(sqlFile('campaigns/sql/delta-reaches-campaigns.sql'), [datasetId, LINKING.minFailureShare])
  return rows[0].reaches
}
