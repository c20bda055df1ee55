import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, readMigrations } from '@/lib/db/migrate'
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
