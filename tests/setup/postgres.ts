import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import type { EmbeddedServer } from '@/lib/db/embedded-postgres'

/**
 * The PostgreSQL server the tests use: DATABASE_URL's server when set (CI points it at the
 * machine's PostgreSQL), otherwise an embedded one started here. Test files create their own
 * databases on it (tests/helpers/test-database.ts).
 *
 * The embedded-postgres package registers exit hooks when it is imported, and on `beforeExit`
 * they call process.exit(0), which replaced vitest's exit code 1 after failed tests: a red run
 * exited green. So it is imported only when needed, and while it is loaded a failure's exit
 * code is kept.
 */
let embedded: EmbeddedServer | null = null

function keepFailureExitCode(): void {
  const exit = process.exit.bind(process)
  process.exit = ((code?: number | string | null) => exit(code === 0 && process.exitCode ? process.exitCode : code)) as typeof process.exit
}

export async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL
  if (!url) {
    keepFailureExitCode()
    const { startEmbeddedPostgres } = await import('@/lib/db/embedded-postgres')
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
