import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { getDatasetSummary } from '@/lib/datasets/list-datasets'
import { schedulerTick } from '@/lib/connectors/scheduler'
import { lockDataset } from '@/lib/datasets/dataset-lock'
import { getPool } from '@/lib/db/database'
import { datasetsLeftBehind, derivedNotices, derivedState } from '@/lib/derive/derived-state'
import { recomputeDataset, recomputePending } from '@/lib/derive/recompute'
import { requestRecompute } from '@/lib/derive/retry'
import { ingest } from '@/lib/ingest/pipeline'
import { graphRecord, ndjson, once, query } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// The derived steps run after the import, never inside it: a failing detector leaves every
// event stored, the dataset says why, and a retry recomputes it.
useTestDatabase()

/** `count` failed sign-ins from one address, one name each, from `start` a second apart. */
function burst(ip: string, start: string, count: number, prefix: string) {
  return ndjson(
    Array.from({ length: count }, (_, i) =>
      graphRecord(i, { id: `${prefix}-${i}`, ipAddress: ip, userPrincipalName: `${prefix}${i}@contoso.com`, createdDateTime: new Date(Date.parse(start) + i * 1000).toISOString() }),
    ),
  )
}

const importInto = (datasetId: number, fileName: string, content: string) => ingest({ datasetId, fileName, source: once(content) })

const findingIps = async (datasetId: number) =>
  (await query<{ ip: string }>("SELECT DISTINCT host(ip_address) AS ip FROM findings WHERE dataset_id = $1 AND kind = 'hourly' ORDER BY 1", [datasetId])).map((r) => r.ip)

let lead: Actor

beforeAll(async () => {
  lead = { user: await createUser({ email: 'lead@example.com', role: 'lead', password: 'lead-password-123' }), via: 'session' }
})

describe('the recompute after imports', () => {
  it('runs once for many files, in full the first time and then over the hours an import touched, and the import does not wait for it', async () => {
    const { id } = await findOrCreateDataset('coalesced')
    const reports = [
      await importInto(id, 'a.json', burst('198.18.1.1', '2026-03-02T10:00:00Z', 12, 'a')),
      await importInto(id, 'b.json', burst('198.18.1.2', '2026-03-02T13:00:00Z', 25, 'b')),
      await importInto(id, 'c.json', burst('198.18.1.3', '2026-03-03T08:00:00Z', 9, 'c')),
    ]
    expect(reports.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    // The imports stored events and rollup only: the findings are pending, and the pages say so.
    expect(await findingIps(id)).toEqual([])
    expect(await derivedState(id)).toMatchObject({ status: 'pending', error: null })
    expect((await getDatasetSummary(id))?.derived.status).toBe('pending')
    expect((await derivedNotices([id])).map((n) => n.name)).toEqual(['coalesced'])

    const result = await recomputeDataset(id)
    // The dataset's first recompute reads everything: in full (lib/derive/recompute.ts), which
    // costs less than the same over the imports' range; later ones follow the appended hours.
    expect(result).toMatchObject({ status: 'current', run: { full: true, cause: 'import', from: null, to: null, sourceIps: 3 } })
    expect(result.run?.phases.map((p) => p.detector)).toEqual([
      'hourly findings',
      'source totals',
      'sliding windows',
      'low and slow',
      'triage re-attachment',
      'campaigns',
      'campaign details',
      'yield',
      'escalations',
      'suppressions',
    ])
    expect(await findingIps(id)).toEqual(['198.18.1.1', '198.18.1.2'])
    expect(await derivedState(id)).toMatchObject({ status: 'current', error: null, failures: 0 })
    expect(await derivedNotices([id])).toEqual([])
    // Nothing left: a second recompute has nothing to do.
    expect(await recomputeDataset(id)).toMatchObject({ status: 'skipped' })

    // An appended hour is recomputed alone: its sources and its hour, not the whole dataset.
    await importInto(id, 'd.json', burst('198.18.1.4', '2026-03-04T06:10:00Z', 10, 'd'))
    const next = await recomputeDataset(id)
    expect(next.run).toMatchObject({ full: false, from: '2026-03-04T06:00:00.000Z', to: '2026-03-04T07:00:00.000Z', sourceIps: 1 })
    expect(await findingIps(id)).toEqual(['198.18.1.1', '198.18.1.2', '198.18.1.4'])
  })

  it('keeps every event when a detector fails, says which and why, and a retry recomputes it', async () => {
    const { id } = await findOrCreateDataset('failing')
    await importInto(id, 'first.json', burst('198.18.2.1', '2026-03-02T10:00:00Z', 15, 'f'))
    expect(await recomputeDataset(id)).toMatchObject({ status: 'current' })
    // A derived row the database refuses: the hourly findings of this address.
    await query("ALTER TABLE findings ADD CONSTRAINT refuse_test_address CHECK (ip_address <> '198.18.2.2'::inet) NOT VALID")
    try {
      const report = await importInto(id, 'second.json', burst('198.18.2.2', '2026-03-02T11:00:00Z', 30, 's'))
      expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 30, error: null })
      const failed = await recomputeDataset(id)
      expect(failed.status).toBe('failed')
      expect(failed.error).toMatch(/^hourly findings: .*refuse_test_address/)
      expect(failed.run).toMatchObject({ failedAt: 'hourly findings' })
      // Every event is stored; the findings are those from before, and the dataset says why.
      const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = $1', [id])
      expect(n).toBe(45)
      expect(await findingIps(id)).toEqual(['198.18.2.1'])
      const summary = await getDatasetSummary(id)
      expect(summary?.derived).toMatchObject({ status: 'failed', failures: 1 })
      expect(summary?.derived.error).toMatch(/refuse_test_address/)
      expect((await derivedNotices(null)).find((n) => n.datasetId === id)?.state.status).toBe('failed')
      // The automatic retry (at start, at the next import) fails the same way while the cause stays.
      expect((await recomputePending()).find((r) => r.datasetId === id)).toMatchObject({ status: 'failed' })
      expect(await derivedState(id)).toMatchObject({ status: 'failed', failures: 2 })
    } finally {
      await query('ALTER TABLE findings DROP CONSTRAINT refuse_test_address')
    }
    // A lead retries: audited, and the dataset is up to date with the second file's finding.
    expect(await requestRecompute(id, lead)).toEqual({ full: false })
    const [audit] = await query<{ action: string; entity_id: string; before: { status: string } }>(
      "SELECT action, entity_id, before FROM audit_events WHERE action = 'dataset.recompute' ORDER BY at DESC LIMIT 1",
    )
    expect(audit).toMatchObject({ action: 'dataset.recompute', entity_id: String(id), before: { status: 'failed' } })
    const retried = await recomputeDataset(id)
    expect(retried).toMatchObject({ status: 'current', run: { full: false, from: '2026-03-02T11:00:00.000Z' } })
    expect(await findingIps(id)).toEqual(['198.18.2.1', '198.18.2.2'])
    expect(await derivedState(id)).toMatchObject({ status: 'current', error: null, failures: 0 })
    // Asked for on an up-to-date dataset, a recompute starts from all the events.
    expect(await requestRecompute(id, lead)).toEqual({ full: true })
    expect(await recomputeDataset(id)).toMatchObject({ status: 'current', run: { full: true, cause: 'recompute' } })
  })

  it('writes no new version of a finding it finds again as it was, and still says how many it looked at', async () => {
    const { id } = await findOrCreateDataset('unchanged')
    // An hourly finding whose yield and escalation are set, and a burst split by the hour boundary
    // into two findings of 12 names that carry its sliding peak of 24 (a higher tier).
    const proved = graphRecord(0, { id: 'proved', ipAddress: '198.18.3.1', userPrincipalName: 'a0@contoso.com', createdDateTime: '2026-03-02T10:30:00Z', status: { errorCode: 0 } })
    await importInto(id, 'a.json', burst('198.18.3.1', '2026-03-02T10:00:00Z', 25, 'a') + ndjson([proved]))
    await importInto(id, 'b.json', burst('198.18.3.2', '2026-03-02T11:59:48Z', 24, 'b'))
    expect(await recomputeDataset(id)).toMatchObject({ status: 'current', run: { full: true } })
    // A row's ctid and xmin change with every update: the same pair is the same row version.
    const versions = () => query<{ id: number; version: string }>("SELECT id, ctid::text || '/' || xmin::text AS version FROM findings WHERE dataset_id = $1 ORDER BY id", [id])
    const before = await versions()
    const [set] = await query<{ peaks: number; yields: number; escalated: number }>(
      `SELECT count(*) FILTER (WHERE sliding_peak_usernames IS NOT NULL)::int AS peaks, count(*) FILTER (WHERE not_found_usernames > 0)::int AS yields,
              count(*) FILTER (WHERE escalated)::int AS escalated FROM findings WHERE dataset_id = $1`,
      [id],
    )
    expect(set.peaks).toBe(2)
    expect(set.yields).toBe(before.length)
    expect(set.escalated).toBe(1)

    const again = await recomputeDataset(id, { full: true })
    expect(again.status).toBe('current')
    expect(await versions()).toEqual(before)
    const looked = (detector: string) => again.run?.phases.find((p) => p.detector === detector)?.findings
    expect(looked('yield')).toBe(before.length)
    expect(looked('suppressions')).toBe(before.length)

    // An appended hour of another address leaves them as they were too, and adds its own.
    await importInto(id, 'c.json', burst('198.18.3.3', '2026-03-02T15:00:00Z', 12, 'c'))
    expect(await recomputeDataset(id)).toMatchObject({ status: 'current', run: { full: false } })
    const after = await versions()
    expect(after.filter((v) => before.some((b) => b.id === v.id))).toEqual(before)
    expect(after.length).toBeGreaterThan(before.length)
  })
})

describe('a dataset nobody recomputes', () => {
  it('is recomputed by the app server a minute after its last import, not while its importer may still be at work', async () => {
    // As `cli ingest --no-wait` leaves it: events stored, findings pending, nobody to recompute.
    const { id } = await findOrCreateDataset('left pending')
    expect((await importInto(id, 'a.json', burst('198.18.9.1', '2026-03-04T10:00:00Z', 12, 'left'))).status).toBe('succeeded')
    expect(await datasetsLeftBehind(60)).not.toContain(id)
    await schedulerTick(() => {})
    await sleep(300)
    expect(await derivedState(id)).toMatchObject({ status: 'pending' })

    // A minute later its importer is gone: the server's next tick recomputes it.
    await query("UPDATE dataset_derived_state SET requested_at = requested_at - interval '61 seconds' WHERE dataset_id = $1", [id])
    expect(await datasetsLeftBehind(60)).toContain(id)
    const logged: string[] = []
    await schedulerTick((line) => logged.push(line))
    expect(logged).toContain(`[recompute] dataset ${id}: nobody is recomputing it, recomputing`)
    await expect.poll(async () => (await derivedState(id)).status, { timeout: 20_000, interval: 200 }).toBe('current')
    expect(await findingIps(id)).toEqual(['198.18.9.1'])
    expect(await datasetsLeftBehind(60)).not.toContain(id)
  })

  it('is recomputed when the recompute that marked it running died, and left alone while one holds its lock', async () => {
    const { id } = await findOrCreateDataset('left running')
    expect((await importInto(id, 'a.json', burst('198.18.9.2', '2026-03-05T10:00:00Z', 12, 'dead'))).status).toBe('succeeded')
    // A CLI stopped with Ctrl-C during its recompute: "running" stays, its transaction is gone.
    await query("UPDATE dataset_derived_state SET status = 'running', started_at = now() - interval '2 minutes' WHERE dataset_id = $1", [id])

    // While a session holds the dataset's lock (a live recompute, or one waiting behind an import), nobody takes it over.
    const holder = await (await getPool()).connect()
    try {
      await holder.query('BEGIN')
      await lockDataset(holder, id)
      expect(await datasetsLeftBehind(60)).not.toContain(id)
    } finally {
      await holder.query('ROLLBACK')
      holder.release()
    }

    expect(await datasetsLeftBehind(60)).toContain(id)
    await schedulerTick(() => {})
    await expect.poll(async () => (await derivedState(id)).status, { timeout: 20_000, interval: 200 }).toBe('current')
    expect(await findingIps(id)).toEqual(['198.18.9.2'])
  })
})

describe('an import job', () => {
  it('is stamped finished at the clock time, so its duration is how long it ran', async () => {
    const { id } = await findOrCreateDataset('slow-import')
    const content = burst('198.18.3.1', '2026-03-02T10:00:00Z', 50, 'slow')
    const half = content.indexOf('\n', content.length / 2) + 1
    async function* slowly() {
      yield Buffer.from(content.slice(0, half))
      await sleep(600)
      yield Buffer.from(content.slice(half))
    }
    const report = await ingest({ datasetId: id, fileName: 'slow.json', source: slowly(), batchSize: 10 })
    expect(report.status).toBe('succeeded')
    const summary = await getDatasetSummary(id)
    expect(summary?.imports[0].durationMs).toBeGreaterThanOrEqual(550)
  })
})
