import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { createConnector, getConnector } from '@/lib/connectors/connector-store'
import { newSecretKey } from '@/lib/connectors/secrets'
import { getPrisma } from '@/lib/db/database'
import { startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft'
import { repoRoot } from '../helpers/paths'
import { syntheticSignIns } from '../helpers/synthetic-signins'
import { useTestDatabase } from '../helpers/test-database'

// `npm run cli -- connectors backfill <name> --from D --to D`: a chosen window, from the shell.
process.env.ET_CONNECTORS_ALLOW_HTTP = '1'
process.env.ET_CONNECTORS_ALLOW_PRIVATE = '1'
process.env.ET_SECRET_KEY = newSecretKey()
const database = useTestDatabase()

const app = { tenantId: '5f1c3a2e-8d4b-4c6e-9a7f-2b3c4d5e6f70', clientId: '0b7a4f1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b', clientSecret: 'the-right-secret' }
// Ten days ago, inside Graph's 30 days whenever the test runs.
const day = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 10 * 86_400_000)
const data = syntheticSignIns(120, day, 24, 3)
let fake: FakeMicrosoft
let connectorId = 0

beforeAll(async () => {
  fake = await startFakeMicrosoft({ app, graph: { signIns: data.graph, pageSize: 100 } })
  const admin = { user: await createUser({ email: 'admin@example.com', role: 'admin', password: 'admin-password-12' }), via: 'session' as const }
  connectorId = (
    await createConnector(
      { name: 'contoso', kind: 'graph', dataset: 'incident', settings: { tenantId: app.tenantId, clientId: app.clientId, authorityUrl: fake.url, graphUrl: fake.url }, secret: app.clientSecret },
      admin,
    )
  ).id
})
afterAll(() => fake.stop())

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: database.url() },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('connectors backfill', () => {
  it('pulls the chosen days into the dataset, once, and leaves the watermark alone', async () => {
    const date = day.toISOString().slice(0, 10)
    const result = await cli('connectors', 'backfill', 'contoso', '--from', date, '--to', date, '--json')
    expect(result.code).toBe(0)
    // The run's summary goes to stderr; stdout is the JSON.
    expect(result.stderr).toMatch(/contoso backfill \d+ .*succeeded: 24\/24 slices, 120 new events/)
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'succeeded', slicesTotal: 24, slicesDone: 24, eventsInserted: 120, stats: { tokensFetched: 1 } })
    const prisma = await getPrisma()
    const connector = (await getConnector(connectorId))!
    expect(await prisma.signInEvent.count({ where: { datasetId: connector.datasetId } })).toBe(120)
    expect(connector.watermark).toBeNull()
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'connector.backfill' } })
    expect(audit.actorLabel).toBe('cli')

    const again = await cli('connectors', 'backfill', 'contoso', '--from', date, '--to', date)
    expect(again.stdout).toMatch(/contoso backfill run \d+: succeeded, 24\/24 slices, 120 events read, 0 new/)
  }, 240_000)

  it('refuses a window outside what Graph keeps, saying why', async () => {
    const result = await cli('connectors', 'backfill', 'contoso', '--from', '2020-01-01', '--to', '2020-01-02')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/error: the window starts before .*Microsoft Graph keeps sign-ins for 30 days/)
  }, 120_000)
})
