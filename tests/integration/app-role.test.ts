import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { auditTrail } from '@/lib/auth/audit'
import { createUser } from '@/lib/auth/users'
import { appRoleUrl, ensureAppRole } from '@/lib/db/app-role'
import { deleteDataset, findDataset } from '@/lib/datasets/datasets'
import { closeDatabase, getPool } from '@/lib/db/database'
import { exportFindings, findingsCsv } from '@/lib/findings/export-findings'
import { parseFindingsQuery } from '@/lib/findings/findings-query'
import { listFindings } from '@/lib/findings/list-findings'
import { getOverview } from '@/lib/overview/get-overview'
import { applyTriage } from '@/lib/triage/triage-actions'
import { ingestContent } from '../helpers/ingest'
import { useTestDatabase } from '../helpers/test-database'

// The app connects as a role that owns no table: the audit trail's append-only trigger cannot be
// disabled and its rows cannot be deleted or changed, while ingest, triage and findings work.
const database = useTestDatabase()
const role = `et_app_test_${process.pid}_${randomBytes(3).toString('hex')}`
const password = randomBytes(18).toString('base64url')
let appUrl = ''
let ownerUrl = ''

async function asApp<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: appUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

beforeAll(async () => {
  ownerUrl = database.url()
  await ensureAppRole(await getPool(), { role, password })
  appUrl = appRoleUrl(ownerUrl, role, password)
})

afterAll(async () => {
  // Back to the owner, then the role goes (roles are server-wide).
  await closeDatabase()
  process.env.DATABASE_URL = ownerUrl
  const owner = new pg.Client({ connectionString: ownerUrl })
  await owner.connect()
  await owner.query(`DROP OWNED BY "${role}"`)
  await owner.query(`DROP ROLE "${role}"`)
  await owner.end()
})

describe('the app database role', () => {
  it('cannot disable the audit trigger, nor delete, change or truncate audit rows, nor change the schema', async () => {
    await (await getPool()).query(`INSERT INTO audit_events (actor_label, action, entity_type, entity_id) VALUES ('test', 'test.entry', 'test', '1')`)
    await asApp(async (client) => {
      expect((await client.query('SELECT current_user AS who')).rows[0].who).toBe(role)
      await expect(client.query('ALTER TABLE audit_events DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/)
      await expect(client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete')).rejects.toThrow(/must be owner/)
      await expect(client.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/)
      await expect(client.query(`UPDATE audit_events SET action = 'rewritten'`)).rejects.toThrow(/permission denied/)
      await expect(client.query('TRUNCATE audit_events')).rejects.toThrow(/permission denied/)
      await expect(client.query('DROP TABLE audit_events')).rejects.toThrow(/must be owner/)
      await expect(client.query('CREATE TABLE sneaky (x int)')).rejects.toThrow(/permission denied/)
      await expect(client.query('ALTER TABLE sign_in_events ADD COLUMN x int')).rejects.toThrow(/must be owner/)
      await expect(client.query(`DELETE FROM "_prisma_migrations"`)).rejects.toThrow(/permission denied/)
      await expect(client.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied/)
      // It may append to the trail and read it.
      await client.query(`INSERT INTO audit_events (actor_label, action, entity_type, entity_id) VALUES ('app', 'test.append', 'test', '2')`)
      expect((await client.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'test'`)).rows[0].n).toBe(2)
    })
  })

  it('runs the app: ingest, findings, triage with its audit entry, the findings export', async () => {
    const lead: Actor = { user: await createUser({ email: 'lead@example.com', role: 'lead', password: 'lead-password-1234' }), via: 'session' }
    await closeDatabase()
    process.env.DATABASE_URL = appUrl
    const pool = await getPool() // up to date: no migration, nothing that needs the owner
    expect((await pool.query('SELECT current_user AS who')).rows[0].who).toBe(role)

    const start = Date.parse('2026-03-02T10:05:00Z')
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ '@timestamp': start + i * 1000, id: `r-${i}`, resultType: i % 3 === 0 ? '50126' : '50034', ipAddress: '203.0.113.77', userPrincipalName: `user${i}@contoso.com`, clientAppUsed: 'Browser', userAgent: 'python-requests/2.31', appDisplayName: 'Azure Portal' }),
    )
    const report = await ingestContent('as-app-role', 'signins.ndjson', lines.join('\n'))
    expect(report).toMatchObject({ status: 'succeeded', rowsInserted: 30 })
    const findings = await listFindings(parseFindingsQuery(new URLSearchParams({ q: '203.0.113.77' })), lead.user.id)
    expect(findings.rows).toHaveLength(1)
    expect(findings.rows[0]).toMatchObject({ uniqueUsernames: 20, verdict: 'Moderate Enumeration' }) // 50126 is not one of the rule's codes

    await applyTriage({ findingIds: [findings.rows[0].id], status: 'active', assign: lead.user.id }, lead)
    const { rows: triage } = await pool.query<{ action: string; actor_label: string }>(`SELECT action, actor_label FROM audit_events WHERE entity_type = 'triage' AND (after ->> 'finding')::int = $1`, [findings.rows[0].id])
    expect(triage.map((t) => [t.action, t.actor_label])).toEqual([[expect.stringMatching(/^triage\./), 'lead@example.com']])
    expect((await auditTrail('import_job', report.jobId)).map((e) => e.action)).toEqual(['import.succeeded'])

    // The overview stores what it computed from the rollup (overview_activity) as the app role.
    const overview = await getOverview(null)
    expect(overview.topSourceIps[0]).toMatchObject({ ipAddress: '203.0.113.77', uniqueUsernames: 20, findings: 1 })
    expect((await pool.query('SELECT count(*)::int AS n FROM overview_activity')).rows[0].n).toBe(1)

    const exported = await exportFindings(parseFindingsQuery(new URLSearchParams({ q: '203.0.113.77' })), lead.user.id)
    expect(findingsCsv(exported.rows).split('\r\n')[1]).toContain('203.0.113.77')

    // The dataset's partitions were made for the app (the datasets trigger runs as the owner); it
    // cannot make, drop or change one itself, and deleting the dataset drops them.
    const partitions = async (id: number) =>
      (await pool.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname LIKE $1 ORDER BY 1`, [`sign_in_%_d${id}`])).rows.map((r) => r.name)
    const { id: datasetId } = (await findDataset('as-app-role'))!
    expect(await partitions(datasetId)).toEqual([`sign_in_events_d${datasetId}`, `sign_in_hourly_rollup_d${datasetId}`, `sign_in_record_blocks_d${datasetId}`])
    await expect(pool.query('CREATE TABLE sign_in_events_d999999 PARTITION OF sign_in_events FOR VALUES IN (999999)')).rejects.toThrow(/permission denied/)
    await expect(pool.query(`DROP TABLE sign_in_events_d${datasetId}`)).rejects.toThrow(/must be owner/)
    await expect(pool.query(`ALTER TABLE sign_in_events DETACH PARTITION sign_in_events_d${datasetId}`)).rejects.toThrow(/must be owner/)
    // It may analyse its dataset's partitions through the owner's function (ANALYZE itself needs
    // the owner before PostgreSQL 17).
    const analyses = async () => {
      await pool.query('SELECT pg_stat_clear_snapshot()')
      return Number((await pool.query<{ n: string }>('SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relname = $1', [`sign_in_events_d${datasetId}`])).rows[0].n)
    }
    const analysedBefore = await analyses()
    await pool.query('SELECT analyze_dataset_partitions($1)', [datasetId])
    expect(await analyses()).toBe(analysedBefore + 1)
    await deleteDataset(datasetId)
    expect(await partitions(datasetId)).toEqual([])
    expect((await pool.query('SELECT count(*)::int AS n FROM sign_in_events WHERE dataset_id = $1', [datasetId])).rows[0].n).toBe(0)
  })
})
