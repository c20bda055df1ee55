import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, readMigrations } from '@/lib/db/migrate'
import { PASSWORD_RIGHT_CODES } from '@/lib/detection/extended-settings'
import { eventKey } from '@/lib/ingest/event-key'
import { readUserAgentSalt, userAgentKey } from '@/lib/events/user-agents'
import { repoRoot } from '../helpers/paths'
import { createDatabase, dropDatabase } from '../helpers/test-database'

// The runner must leave _prisma_migrations exactly as `prisma migrate deploy` would, so that on
// a connected machine Prisma sees these migrations as applied.

let database: { name: string; url: string }
let db: pg.Client

beforeAll(async () => {
  database = await createDatabase()
  db = new pg.Client({ connectionString: database.url })
  await db.connect()
})
afterAll(async () => {
  await db.end()
  await dropDatabase(database.name)
})

function migrationsFolder(migrations: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'et-migrations-'))
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(dir, name))
    writeFileSync(path.join(dir, name, 'migration.sql'), sql)
  }
  return dir
}

/** Applies the project's migrations that come before `name`: a database as it was before that one. */
async function migrateUpTo(url: string, name: string): Promise<void> {
  const earlier = readMigrations().filter((m) => m.name < name)
  await migrate(url, migrationsFolder(Object.fromEntries(earlier.map((m) => [m.name, readFileSync(path.join(repoRoot, 'prisma', 'migrations', m.name, 'migration.sql'), 'utf8')]))))
}

/**
 * A database of its own, migrated with the project's migrations before `name` (as it was before
 * that one), and a client of it; dropped afterwards.
 */
async function beforeMigration(name: string, test: (client: pg.Client, url: string) => Promise<void>): Promise<void> {
  const scratch = await createDatabase()
  const client = new pg.Client({ connectionString: scratch.url })
  await client.connect()
  try {
    await migrateUpTo(scratch.url, name)
    await test(client, scratch.url)
  } finally {
    await client.end()
    await dropDatabase(scratch.name)
  }
}

describe('migration runner', () => {
  it('applies the project migrations and records them as Prisma does', async () => {
    const result = await migrate(database.url)
    const expected = readMigrations()
    expect(result.applied).toEqual(expected.map((m) => m.name))
    const { rows } = await db.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')
    expect(rows).toHaveLength(expected.length)
    for (const [i, row] of rows.entries()) {
      const file = readFileSync(path.join(repoRoot, 'prisma', 'migrations', expected[i].name, 'migration.sql'))
      expect(row.migration_name).toBe(expected[i].name)
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'))
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(row.finished_at).toBeInstanceOf(Date)
      expect(row.rolled_back_at).toBeNull()
      expect(row.applied_steps_count).toBe(1)
    }
    const columns = await db.query(
      `SELECT column_name, data_type, character_maximum_length FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    )
    expect(columns.rows.map((c) => `${c.column_name}:${c.data_type}:${c.character_maximum_length ?? ''}`)).toEqual([
      'id:character varying:36',
      'checksum:character varying:64',
      'finished_at:timestamp with time zone:',
      'migration_name:character varying:255',
      'logs:text:',
      'rolled_back_at:timestamp with time zone:',
      'started_at:timestamp with time zone:',
      'applied_steps_count:integer:',
    ])
  })

  it('applies nothing the second time', async () => {
    const result = await migrate(database.url)
    expect(result.applied).toEqual([])
    expect(result.alreadyApplied.length).toBeGreaterThan(0)
  })

  it('leaves the server no warning when the database is up to date (it takes no lock, so it releases none)', async () => {
    // Every process start runs the runner: an unlock of a lock it never took logged
    // "you don't own a lock of type ExclusiveLock" in the server's log each time.
    await migrate(database.url)
    const notices: string[] = []
    const connect = pg.Client.prototype.connect
    // The runner connects with no callback.
    pg.Client.prototype.connect = function (this: pg.Client) {
      this.on('notice', (notice) => notices.push(notice.message ?? ''))
      return (connect as () => Promise<pg.Client>).call(this)
    } as typeof connect
    try {
      const result = await migrate(database.url)
      expect(result.applied).toEqual([])
      const pending = migrationsFolder({ ...Object.fromEntries(readMigrations().map((m) => [m.name, readFileSync(path.join(repoRoot, 'prisma', 'migrations', m.name, 'migration.sql'), 'utf8')])), '99990101000000_notice_probe': 'SELECT 1;' })
      expect((await migrate(database.url, pending)).applied).toEqual(['99990101000000_notice_probe'])
    } finally {
      pg.Client.prototype.connect = connect
    }
    expect(notices.filter((n) => /lock/i.test(n))).toEqual([])
    await db.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '99990101000000_notice_probe'`)
  })

  it('rolls a failing migration back completely and says which one failed', async () => {
    const scratch = await createDatabase()
    try {
      const dir = migrationsFolder({
        '20260101000000_good': 'CREATE TABLE good (id int);',
        '20260102000000_bad': 'CREATE TABLE half (id int);\nSELECT * FROM no_such_table;',
      })
      await expect(migrate(scratch.url, dir)).rejects.toThrow(/20260102000000_bad failed: .*no_such_table/)
      const client = new pg.Client({ connectionString: scratch.url })
      await client.connect()
      const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)
      const recorded = await client.query('SELECT migration_name FROM "_prisma_migrations"')
      await client.end()
      expect(tables.rows.map((r) => r.table_name)).toEqual(['_prisma_migrations', 'good'])
      expect(recorded.rows.map((r) => r.migration_name)).toEqual(['20260101000000_good'])
    } finally {
      await dropDatabase(scratch.name)
    }
  })

  it('refuses to continue when an applied migration was edited', async () => {
    const scratch = await createDatabase()
    try {
      const dir = migrationsFolder({ '20260101000000_first': 'CREATE TABLE first_table (id int);' })
      await migrate(scratch.url, dir)
      writeFileSync(path.join(dir, '20260101000000_first', 'migration.sql'), 'CREATE TABLE first_table (id bigint);')
      await expect(migrate(scratch.url, dir)).rejects.toThrow(/was modified after it was applied/)
    } finally {
      await dropDatabase(scratch.name)
    }
  })
})

describe('partitioning by dataset (20261207200000_partition_by_dataset)', () => {
  it('moves the events, original records and rollup of a database that has them into per-dataset partitions', async () => {
    await beforeMigration('20261207200000', async (client, url) => {
      const { rows: datasets } = await client.query<{ id: number }>(`INSERT INTO datasets (name, updated_at) VALUES ('a', now()), ('b', now()) RETURNING id`)
      const [a, b] = datasets.map((d) => d.id)
      const appIds = ['9F3C1C4B-5D4A-4C39-8F0B-AAAAAAAAAAAA', 'not-a-guid', null]
      for (const [i, dataset] of [a, a, b, 9999].entries()) {
        await client.query(
          `INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, user_principal_name, ip_address, user_agent, app_id, error_code, source_format, event_key, record_block, record_index)
           VALUES ($1, $2, now(), 'u@contoso.com', '203.0.113.9', 'ua', $3, '50126', 'graph', $4, $4, 0)`,
          [dataset, `e${i}`, appIds[i % 3], i + 1],
        )
        await client.query(`INSERT INTO sign_in_record_blocks (dataset_id, block_id, encoding, records) SELECT $1, $2, 'identity', '\\x7b7d' WHERE $1 <> 9999`, [dataset, i + 1])
      }
      await client.query(
        `INSERT INTO sign_in_hourly_rollup (dataset_id, bucket, key_hash, ip_address, client_app_used, user_agent, user_principal_name, error_code, attempts, first_seen, last_seen, app_names)
         SELECT id, '2026-03-02T10:00Z', md5(id::text)::uuid, '203.0.113.9', '', 'ua', 'u@contoso.com', '50126', 1, now(), now(), '{}' FROM datasets`,
      )

      await migrate(url)

      const count = async (sql: string, params: unknown[] = []) => (await client.query<{ n: number }>(sql, params)).rows[0].n
      // Every row of an existing dataset is in that dataset's partition; the orphan event (its
      // dataset was gone: events kept no foreign key) is not.
      for (const [dataset, events] of [[a, 2], [b, 1]]) {
        expect(await count(`SELECT count(*)::int AS n FROM sign_in_events_d${dataset}`)).toBe(events)
        expect(await count(`SELECT count(*)::int AS n FROM sign_in_record_blocks_d${dataset}`)).toBe(events)
        expect(await count(`SELECT count(*)::int AS n FROM sign_in_hourly_rollup_d${dataset}`)).toBe(1)
      }
      expect(await count('SELECT count(*)::int AS n FROM sign_in_events')).toBe(3)
      // Application ids that are GUIDs are kept (as uuid); anything else stays in the original record only.
      const { rows } = await client.query<{ source_event_id: string; app_id: string | null }>(`SELECT source_event_id, app_id::text FROM sign_in_events ORDER BY source_event_id`)
      expect(rows).toEqual([
        { source_event_id: 'e0', app_id: '9f3c1c4b-5d4a-4c39-8f0b-aaaaaaaaaaaa' },
        { source_event_id: 'e1', app_id: null },
        { source_event_id: 'e2', app_id: null },
      ])
      // The sequence goes on after the moved ids, and the unique key holds per dataset.
      const { rows: next } = await client.query<{ id: string }>(
        `INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, event_key, record_block, record_index) VALUES ($1, 'e9', now(), 99, 99, 0) RETURNING id::text`,
        [b],
      )
      expect(Number(next[0].id)).toBeGreaterThan(4)
      await expect(
        client.query(`INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, event_key, record_block, record_index) VALUES ($1, 'e9', now(), 99, 99, 0)`, [b]),
      ).rejects.toThrow(/duplicate key/)
      // A dataset made after the migration gets its partitions; deleting one drops them.
      const { rows: made } = await client.query<{ id: number }>(`INSERT INTO datasets (name, updated_at) VALUES ('c', now()) RETURNING id`)
      expect(await count(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhrelid::regclass::text LIKE $1`, [`%_d${made[0].id}`])).toBe(3)
      await client.query('DELETE FROM datasets WHERE id = $1', [a])
      expect(await count(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE $1`, [`sign_in_%_d${a}`])).toBe(0)
      expect(await count('SELECT count(*)::int AS n FROM sign_in_events')).toBe(2)
    })
  })
})

describe('user agents in a dictionary, source format with the records (20261208020000_user_agents)', () => {
  it('moves the events\' user agents into user_agents, keyed as the import keys them, and the source format onto their blocks', async () => {
    await beforeMigration('20261208020000', async (client, url) => {
      const { rows: datasets } = await client.query<{ id: number }>(`INSERT INTO datasets (name, updated_at) VALUES ('a', now()), ('b', now()) RETURNING id`)
      const [a, b] = datasets.map((d) => d.id)
      const events: [number, string, string, number][] = [
        [a, 'Mozilla/5.0', 'graph', 1],
        [a, 'Mozilla/5.0', 'graph', 1],
        [a, '', 'graph', 1],
        [a, 'curl/8.0', 'portal-csv', 2],
        [b, 'Mozilla/5.0', 'logscale', 3],
      ]
      // A GUID in uuid::text's form becomes a uuid; any other id (upper case too) stays text.
      const ids = ['1fce2f47-39bb-4f01-9c0d-74df27d293f4', '1FCE2F47-39BB-4F01-9C0D-74DF27D293F5', 'e2', 'e3', 'e4']
      for (const [i, [dataset, agent, format, block]] of events.entries()) {
        await client.query(
          `INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, user_agent, source_format, event_key, record_block, record_index)
           VALUES ($1, $2, now(), $3, $4, $5, $6, $7)`,
          [dataset, ids[i], agent, format, i + 1, block, i],
        )
      }
      for (const [dataset, block] of [[a, 1], [a, 2], [b, 3]]) {
        await client.query(`INSERT INTO sign_in_record_blocks (dataset_id, block_id, encoding, records) VALUES ($1, $2, 'identity', '\\x7b7d')`, [dataset, block])
      }

      await migrate(url)

      // Keyed as the import keys them after every later migration (20261209010000 salts the key).
      const salt = await readUserAgentSalt(client)
      const { rows: dictionary } = await client.query(`SELECT dataset_id, user_agent_id::text, user_agent FROM user_agents ORDER BY dataset_id, user_agent COLLATE "C"`)
      expect(dictionary).toEqual([
        { dataset_id: a, user_agent_id: userAgentKey(salt, ''), user_agent: '' },
        { dataset_id: a, user_agent_id: userAgentKey(salt, 'Mozilla/5.0'), user_agent: 'Mozilla/5.0' },
        { dataset_id: a, user_agent_id: userAgentKey(salt, 'curl/8.0'), user_agent: 'curl/8.0' },
        { dataset_id: b, user_agent_id: userAgentKey(salt, 'Mozilla/5.0'), user_agent: 'Mozilla/5.0' },
      ])
      const { rows: stored } = await client.query(
        `SELECT coalesce(e.source_event_uuid::text, e.source_event_id) AS source_event_id, e.source_event_uuid IS NOT NULL AS as_uuid,
                u.user_agent, b.source_format FROM sign_in_events e
           JOIN user_agents u ON u.dataset_id = e.dataset_id AND u.user_agent_id = e.user_agent_id
           JOIN sign_in_record_blocks b ON b.dataset_id = e.dataset_id AND b.block_id = e.record_block
          ORDER BY e.record_index`,
      )
      expect(stored).toEqual(events.map(([, user_agent, source_format], i) => ({ source_event_id: ids[i], as_uuid: i === 0, user_agent, source_format })))
      // An event written without a user agent has the key of '' (the column's default).
      await client.query(`INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, event_key, record_block, record_index) VALUES ($1, 'e9', now(), 99, 1, 9)`, [b])
      const { rows: defaults } = await client.query(`SELECT user_agent_id::text FROM sign_in_events WHERE source_event_id = 'e9'`)
      expect(defaults).toEqual([{ user_agent_id: userAgentKey(salt, '') }])
      // The dictionary goes with its dataset.
      await client.query('DELETE FROM datasets WHERE id = $1', [a])
      expect((await client.query(`SELECT count(*)::int AS n FROM user_agents`)).rows[0].n).toBe(1)
    })
  })
})

describe('user agent keys with a secret salt (20261209010000_user_agent_key_salt)', () => {
  it('gives each database its own random salt and re-keys the events and dictionary it already has', async () => {
    await beforeMigration('20261209010000', async (client, url) => {
      const { rows: datasets } = await client.query<{ id: number }>(`INSERT INTO datasets (name, updated_at) VALUES ('a', now()), ('b', now()) RETURNING id`)
      const [a, b] = datasets.map((d) => d.id)
      // Stored as the import stored them before: the unkeyed md5 prefix (eventKey computes it).
      const events: [number, string][] = [[a, 'Mozilla/5.0'], [a, 'Mozilla/5.0'], [a, ''], [a, 'curl/8.0'], [b, 'Mozilla/5.0']]
      for (const [i, [dataset, agent]] of events.entries()) {
        await client.query(
          `INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, user_agent_id, event_key, record_block, record_index) VALUES ($1, $2, now(), $3, $4, 1, $5)`,
          [dataset, `e${i}`, eventKey(agent), i + 1, i + 1],
        )
      }
      await client.query(
        `INSERT INTO user_agents (dataset_id, user_agent_id, user_agent) SELECT DISTINCT d, ($3::bigint[])[i], t FROM unnest($1::int[], $2::text[]) WITH ORDINALITY AS g(d, t, i)`,
        [events.map(([d]) => d), events.map(([, t]) => t), events.map(([, t]) => eventKey(t))],
      )
      // Written without a user agent (the column's default, the key of ''), and '' not in b's dictionary.
      await client.query(`INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, event_key, record_block, record_index) VALUES ($1, 'e8', now(), 8, 1, 8)`, [b])
      // Two user agents of a dataset that would share a key after it: the migration refuses, changes nothing.
      await client.query(`INSERT INTO user_agents (dataset_id, user_agent_id, user_agent) VALUES ($1, 42, 'curl/8.0')`, [a])
      await expect(migrate(url)).rejects.toThrow(/two user agents of dataset \d+ have the same 64-bit key/)
      expect((await client.query(`SELECT user_agent_key('') = ('x' || substr(md5(''), 1, 16))::bit(64)::bigint AS unkeyed`)).rows).toEqual([{ unkeyed: true }])
      await client.query(`DELETE FROM user_agents WHERE user_agent_id = 42`)

      await migrate(url)

      const salt = await readUserAgentSalt(client)
      expect(salt).toMatch(/^[0-9a-f]{64}$/)
      await migrate(database.url)
      expect(await readUserAgentSalt(db)).not.toBe(salt)
      // The dictionary under the new keys, the same as Node's, none of them the old one.
      const { rows: dictionary } = await client.query(`SELECT dataset_id, user_agent_id::text, user_agent FROM user_agents ORDER BY dataset_id, user_agent COLLATE "C"`)
      const expected = [[a, ''], [a, 'Mozilla/5.0'], [a, 'curl/8.0'], [b, 'Mozilla/5.0']] as const
      expect(dictionary).toEqual(expected.map(([dataset_id, user_agent]) => ({ dataset_id, user_agent_id: userAgentKey(salt, user_agent), user_agent })))
      for (const [, user_agent] of expected) expect(userAgentKey(salt, user_agent)).not.toBe(eventKey(user_agent))
      // Every event is found by its user agent's key as the queries compare it, and joins its text.
      const { rows: stored } = await client.query(
        `SELECT e.source_event_id, u.user_agent, e.user_agent_id = user_agent_key(u.user_agent) AS found FROM sign_in_events e
           LEFT JOIN user_agents u ON u.dataset_id = e.dataset_id AND u.user_agent_id = e.user_agent_id ORDER BY e.source_event_id`,
      )
      expect(stored).toEqual([...events.map(([, user_agent], i) => ({ source_event_id: `e${i}`, user_agent, found: true })), { source_event_id: 'e8', user_agent: null, found: null }])
      const { rows: empty } = await client.query(`SELECT user_agent_id = user_agent_key('') AS same FROM sign_in_events WHERE source_event_id = 'e8'`)
      expect(empty).toEqual([{ same: true }])
      // The column's default is the new key of ''.
      await client.query(`INSERT INTO sign_in_events (dataset_id, source_event_id, created_at, event_key, record_block, record_index) VALUES ($1, 'e9', now(), 9, 1, 9)`, [a])
      const { rows: defaults } = await client.query(`SELECT user_agent_id::text FROM sign_in_events WHERE source_event_id = 'e9'`)
      expect(defaults).toEqual([{ user_agent_id: userAgentKey(salt, '') }])
    })
  })
})

describe('first "password right" times (20261210010000_first_password_rights)', () => {
  it('fills them from the rollup a database already has, with the codes the import counts', async () => {
    await beforeMigration('20261210010000', async (client, url) => {
      const { rows: datasets } = await client.query<{ id: number }>(`INSERT INTO datasets (name, updated_at) VALUES ('a', now()), ('b', now()) RETURNING id`)
      const [a, b] = datasets.map((d) => d.id)
      // [dataset, hour, address, name, code, first seen (minutes into the hour)]
      const rows: [number, number, string, string, string, number][] = [
        [a, 1, '198.51.100.7', 'ann@contoso.com', '0', 20],
        [a, 0, '198.51.100.7', 'ann@contoso.com', '50074', 40], // earlier hour: the first
        [a, 0, '198.51.100.7', 'ann@contoso.com', '50126', 5], // a failure: never a first "password right"
        [a, 2, '198.51.100.8', 'ann@contoso.com', '500121', 1],
        [a, 0, '198.51.100.7', 'bob@contoso.com', '50034', 0], // failures only: no row
        [b, 3, '198.51.100.7', 'ann@contoso.com', '50055', 9],
      ]
      for (const [dataset, hour, ip, name, code, minute] of rows) {
        const bucket = new Date(Date.UTC(2026, 2, 5, hour))
        const seen = new Date(bucket.getTime() + minute * 60_000)
        await client.query(
          `INSERT INTO sign_in_hourly_rollup (dataset_id, bucket, key_hash, ip_address, client_app_used, user_agent, user_principal_name, error_code, attempts, first_seen, last_seen, app_names)
           VALUES ($1, $2, gen_random_uuid(), $3, 'Browser', 'Mozilla/5.0', $4, $5, 1, $6, $6, '{}')`,
          [dataset, bucket, ip, name, code, seen],
        )
      }
      await migrate(url)
      const { rows: kept } = await client.query(
        `SELECT dataset_id, host(ip_address) AS ip, user_principal_name AS name, name_hash = md5(user_principal_name)::uuid AS hashed, first_seen
           FROM sign_in_first_rights ORDER BY 1, 2, 3`,
      )
      expect(kept).toEqual([
        { dataset_id: a, ip: '198.51.100.7', name: 'ann@contoso.com', hashed: true, first_seen: new Date('2026-03-05T00:40:00Z') },
        { dataset_id: a, ip: '198.51.100.8', name: 'ann@contoso.com', hashed: true, first_seen: new Date('2026-03-05T02:01:00Z') },
        { dataset_id: b, ip: '198.51.100.7', name: 'ann@contoso.com', hashed: true, first_seen: new Date('2026-03-05T03:09:00Z') },
      ])
      // The migration lists the codes once, in SQL: they must be the ones the import keeps it with.
      const sql = readFileSync(path.join(repoRoot, 'prisma', 'migrations', '20261210010000_first_password_rights', 'migration.sql'), 'utf8')
      const listed = [...sql.matchAll(/error_code IN \(([^)]*)\)/g)].map((m) => m[1].split(',').map((c) => c.trim().replace(/'/g, '')))
      expect(listed).toEqual([[...PASSWORD_RIGHT_CODES]])
    })
  })
})
