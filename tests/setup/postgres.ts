import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres, type EmbeddedServer } from '@/lib/db/embedded-postgres'

/**
 * The PostgreSQL server the tests use: DATABASE_URL's server when set (CI points it at the
 * machine's PostgreSQL), otherwise an embedded one started here. Test files create their own
 * databases on it (tests/helpers/test-database.ts).
 */
let embedded: EmbeddedServer | null = null

export async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), 'enumeration-triage-tests', 'postgres') })
    url = embedded.url
  }
  // For the app-server setup, which runs after this one in the same process.
  process.env.ET_TEST_POSTGRES_URL = url
  project.provide('postgresAdminUrl', url)
}

export async function teardown() {
  if (embedded?.owned) await embedded.stop()
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string
  }
}
