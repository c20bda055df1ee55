import { spawn } from 'node:child_process'
import path from 'node:path'
import { closeDatabase, getDatabaseUrl, getEmbeddedServer, getPool, getPrisma } from '@/lib/db/database'
import { statusFileFor, superviseEmbeddedPostgres } from '@/lib/db/embedded-supervisor'
import { appRoleUrl, ensureAppRole } from '@/lib/db/app-role'
import { embeddedAppPassword } from '@/lib/db/embedded-postgres'
import { failInterruptedImports } from '@/lib/ingest/import-job'
import { loadDemoDataset } from '@/lib/demo/load-demo'
import { recomputePending } from '@/lib/derive/recompute'
import { projectRoot } from '@/lib/db/project-root'
import { ensureSecretKey } from '@/lib/connectors/secret-key-file'
import { buildIfNeeded } from './build-if-needed'

/**
 * `npm start` (and `npm run dev`): everything a fresh clone needs to serve the app.
 * Builds when the sources changed since the last build, starts the embedded PostgreSQL unless
 * DATABASE_URL is set, migrates, loads the demo incident into an empty database, then serves
 * http://localhost:3000 (PORT to change) until stopped.
 */

const root = projectRoot()
const dev = process.argv.includes('--dev')
const port = process.env.PORT ?? '3000'
const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')

async function prepareDatabase(): Promise<string> {
  const url = await getDatabaseUrl()
  await failInterruptedImports()
  // The automatic retry: recomputes left pending, failed or interrupted by the last run.
  for (const result of await recomputePending()) {
    if (result.status === 'failed') console.error(`dataset ${result.datasetId}: updating the findings failed: ${result.error}`)
  }
  const prisma = await getPrisma()
  if ((await prisma.dataset.count()) === 0 && process.env.ET_SKIP_DEMO !== '1') {
    console.log('empty database: loading the demo incident (npm run cli -- demo)…')
    const report = await loadDemoDataset('demo')
    console.log(`demo: ${report.rowsInserted} sign-in events in dataset "demo"`)
  }
  return url
}

async function embeddedAppRoleUrl(dataDir: string, ownerUrl: string): Promise<string> {
  const password = await embeddedAppPassword(dataDir)
  const role = await ensureAppRole(await getPool(), { password })
  return appRoleUrl(ownerUrl, role, password)
}

async function main() {
  if (!dev) buildIfNeeded(root)
  const external = Boolean(process.env.DATABASE_URL)
  const keySource = await ensureSecretKey()
  if (keySource !== 'environment') console.log(`connector secrets are encrypted with the key in ${keySource} (set ET_SECRET_KEY to use your own)`)
  const databaseUrl = await prepareDatabase()
  console.log(external ? 'database ready (DATABASE_URL)' : 'database ready (embedded PostgreSQL, see docs/database.md)')
  // The embedded server is restarted when it dies; the app reads its state for /api/health.
  const embedded = await getEmbeddedServer()
  const supervisor = embedded?.owned ? superviseEmbeddedPostgres(embedded) : null
  const statusEnv = embedded?.owned ? { ET_EMBEDDED_STATUS_FILE: statusFileFor(embedded.dataDir) } : {}
  // The app server connects as a role that owns no table (it cannot disable the audit trail's
  // trigger); this process migrated as the owner. With DATABASE_URL, the operator chooses the role.
  const appUrl = embedded ? await embeddedAppRoleUrl(embedded.dataDir, databaseUrl) : databaseUrl

  // scripts/serve.ts rather than `next start`: it tells the app each connection's real address.
  const server = spawn(process.execPath, [tsxCli, path.join(root, 'scripts', 'serve.ts'), ...(dev ? ['--dev'] : []), '--port', port], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...statusEnv, DATABASE_URL: appUrl, NEXT_TELEMETRY_DISABLED: '1' },
  })
  const stop = () => server.kill('SIGTERM')
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const code = await new Promise<number>((resolve) => server.on('exit', (c) => resolve(c ?? 0)))
  await supervisor?.stop()
  await closeDatabase()
  return code
}

// Exit explicitly: the embedded PostgreSQL package hooks beforeExit and would exit with 0.
main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(`error: ${(error as Error).message}`)
    await closeDatabase()
    process.exit(1)
  },
)
