import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** Creating and dropping scratch databases on the test server (used outside test files too). */
export function withDatabaseUrl(base: string, database: string): string {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  // A connection dropped while idle would be an uncaught 'error'; a query in flight still rejects.
  client.on('error', () => {})
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

export async function createDatabaseOn(adminUrl: string): Promise<{ name: string; url: string }> {
  const name = `et_test_${randomBytes(6).toString('hex')}`
  await admin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  return { name, url: withDatabaseUrl(adminUrl, name) }
}

export async function dropDatabaseOn(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}
