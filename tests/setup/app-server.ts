import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildIfNeeded } from '../../scripts/build-if-needed'
import { chromiumPath } from '../helpers/chromium'
import { repoRoot } from '../helpers/paths'
import { createDatabaseOn, dropDatabaseOn } from '../helpers/database-admin'
import { startFakeOidcProvider, type FakeOidcProvider } from '../helpers/fake-oidc-provider'
import { freePort, startAppProcess, type AppProcess } from '../helpers/app-process'

/**
 * For the end-to-end tests: the production build of the app (built when sources changed),
 * served as `npm start` serves it (tests/helpers/app-process.ts) on a free port against a fresh database holding the demo incident,
 * with a fixed anchor so what the tests assert never moves. Single sign-on is configured against
 * a fake OpenID provider on 127.0.0.1 (tests/helpers/fake-oidc-provider.ts).
 */
export const DEMO_ANCHOR = '2026-03-02T00:00:00.000Z'

let server: AppProcess | null = null
let database: string | null = null
let identityProvider: FakeOidcProvider | null = null

/** One account per role, created through the CLI like an operator would. */
export const TEST_USERS = {
  admin: { email: 'admin@example.com', password: 'admin-password-123' },
  lead: { email: 'lead@example.com', password: 'lead-password-1234' },
  analyst: { email: 'analyst@example.com', password: 'analyst-password-12' },
  viewer: { email: 'viewer@example.com', password: 'viewer-password-123' },
} as const

async function cli(databaseUrl: string, args: string[], stdin?: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const output: string[] = []
  child.stdout!.on('data', (c) => output.push(String(c)))
  child.stderr!.on('data', (c) => output.push(String(c)))
  child.stdin!.end(stdin ?? '')
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  if (code !== 0) throw new Error(`npm run cli -- ${args.join(' ')} failed:\n${output.join('')}`)
  return output.join('')
}

export async function setup(project: TestProject) {
  const browser = chromiumPath()
  project.provide('chromiumPath', browser ?? '')
  if (!browser && process.env.CI) {
    // CI installs Chromium (.ci/run): a green run without the browser tests would prove nothing.
    throw new Error('[e2e] CI=true but no Chromium at /usr/bin/chromium (or CHROMIUM_PATH): install it with `apt-get install -y chromium`')
  }
  if (!browser) {
    console.warn('\n[e2e] No Chromium found (looked for /usr/bin/chromium; install it with `apt-get install -y chromium`, or set CHROMIUM_PATH): the browser tests are SKIPPED; the HTTP tests still run.\n')
  }
  const admin = process.env.ET_TEST_POSTGRES_URL
  if (!admin) throw new Error('tests/setup/postgres.ts must run before app-server.ts')

  buildIfNeeded(repoRoot, (line) => console.log(`[e2e] ${line}`))

  const db = await createDatabaseOn(admin)
  database = db.name
  // The demo and the accounts go in through the CLI, as an operator would set them up.
  await cli(db.url, ['demo', '--anchor', DEMO_ANCHOR, '--json'])
  for (const [role, user] of Object.entries(TEST_USERS)) await cli(db.url, ['users', 'add', user.email, '--role', role, '--password-stdin'], user.password)

  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  identityProvider = await startFakeOidcProvider({ redirectUris: [`${url}/api/auth/oidc/callback`] })
  server = await startAppProcess({ databaseUrl: db.url, port, env: { PORT: String(port), ...singleSignOnEnv(identityProvider, url), ...connectorEnv() } })
  const screenshots = path.join(repoRoot, 'test-results', 'screenshots')
  if (!existsSync(screenshots)) mkdirSync(screenshots, { recursive: true })
  project.provide('appUrl', url)
  project.provide('appDatabaseUrl', db.url)
  project.provide('oidcIssuer', identityProvider.issuer)
}

/** SSO against the fake provider; every OIDC_* variable set here, so the developer's own cannot leak in. */
export const SSO_LABEL = 'Test IdP'
export const SSO_ROLE_MAP = 'Triage.Admin=admin,Triage.Lead=lead,Triage.Analyst=analyst'

/** Connectors may talk to the tests' fake services on loopback; uploads go to a scratch folder. */
function connectorEnv(): Record<string, string> {
  return {
    ET_SECRET_KEY: randomBytes(32).toString('base64'),
    ET_CONNECTORS_ALLOW_HTTP: '1',
    ET_CONNECTORS_ALLOW_PRIVATE: '1',
    ET_UPLOAD_DIR: mkdtempSync(path.join(os.tmpdir(), 'et-e2e-uploads-')),
  }
}

function singleSignOnEnv(provider: FakeOidcProvider, appUrl: string): Record<string, string | undefined> {
  return {
    APP_URL: appUrl,
    OIDC_ISSUER_URL: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_REDIRECT_URL: undefined,
    OIDC_LABEL: SSO_LABEL,
    OIDC_ROLE_CLAIM: undefined,
    OIDC_ROLE_MAP: SSO_ROLE_MAP,
    OIDC_DEFAULT_ROLE: undefined,
    // The fake provider speaks plain HTTP on loopback.
    OIDC_ALLOW_HTTP: '1',
  }
}

export async function teardown() {
  await server?.stop()
  await identityProvider?.stop()
  const admin = process.env.ET_TEST_POSTGRES_URL
  if (database && admin) await dropDatabaseOn(admin, database)
}

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string
    appDatabaseUrl: string
    chromiumPath: string
    oidcIssuer: string
  }
}
