import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ROLES, atLeast, type Role } from '@/lib/auth/roles'
import { TEST_USERS } from '../setup/app-server'
import { repoRoot } from '../helpers/paths'

// Every route and every role, against the running app: what each may do, and what each is
// refused. A route added without an entry here fails the completeness check at the bottom.

type Who = Role | 'anonymous'
const WHO: Who[] = ['anonymous', ...ROLES]
const base = inject('appUrl')

interface Entry {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** The concrete path requested ({finding}, {event}, {ip}, {dataset}, {user} are filled in). */
  path: string
  /** The route file's pattern, for the completeness check. */
  route: string
  /** Lowest role allowed; 'public' for sign-in and friends. */
  minimum: Role | 'public'
  body?: unknown
  page?: boolean
  /** Sent without the role's cookie (signing out would end the sessions the other entries use). */
  withoutCredentials?: boolean
}

const entries: Entry[] = [
  // pages
  { method: 'GET', path: '/', route: '/', minimum: 'viewer', page: true },
  { method: 'GET', path: '/findings', route: '/findings', minimum: 'viewer', page: true },
  { method: 'GET', path: '/findings/{finding}', route: '/findings/[id]', minimum: 'viewer', page: true },
  { method: 'GET', path: '/ips/{ip}', route: '/ips/[ip]', minimum: 'viewer', page: true },
  { method: 'GET', path: '/campaigns', route: '/campaigns', minimum: 'viewer', page: true },
  { method: 'GET', path: '/campaigns/999999', route: '/campaigns/[id]', minimum: 'viewer', page: true },
  { method: 'GET', path: '/tuning', route: '/tuning', minimum: 'viewer', page: true },
  { method: 'GET', path: '/datasets', route: '/datasets', minimum: 'viewer', page: true },
  { method: 'GET', path: '/datasets/{dataset}', route: '/datasets/[id]', minimum: 'viewer', page: true },
  { method: 'GET', path: '/review', route: '/review', minimum: 'lead', page: true },
  { method: 'GET', path: '/account', route: '/account', minimum: 'viewer', page: true },
  { method: 'GET', path: '/admin/users', route: '/admin/users', minimum: 'admin', page: true },
  { method: 'GET', path: '/upload', route: '/upload', minimum: 'analyst', page: true },
  { method: 'GET', path: '/connectors', route: '/connectors', minimum: 'admin', page: true },
  { method: 'GET', path: '/connectors/999999', route: '/connectors/[id]', minimum: 'admin', page: true },
  { method: 'GET', path: '/login', route: '/login', minimum: 'public', page: true },
  { method: 'GET', path: '/setup', route: '/setup', minimum: 'public', page: true },
  { method: 'GET', path: '/forbidden', route: '/forbidden', minimum: 'public', page: true },
  // API: reads
  { method: 'GET', path: '/api/auth/me', route: '/api/auth/me', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings', route: '/api/findings', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/export?format=csv', route: '/api/findings/export', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/{finding}', route: '/api/findings/[id]', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/{finding}/usernames', route: '/api/findings/[id]/usernames', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/{finding}/events', route: '/api/findings/[id]/events', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/{finding}/triage', route: '/api/findings/[id]/triage', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/{finding}/evidence', route: '/api/findings/[id]/evidence', minimum: 'viewer' },
  { method: 'GET', path: '/api/events/{event}', route: '/api/events/[id]', minimum: 'viewer' },
  { method: 'GET', path: '/api/ips/{ip}', route: '/api/ips/[ip]', minimum: 'viewer' },
  { method: 'GET', path: '/api/campaigns', route: '/api/campaigns', minimum: 'viewer' },
  { method: 'GET', path: '/api/campaigns/999999', route: '/api/campaigns/[id]', minimum: 'viewer' },
  { method: 'GET', path: '/api/campaigns/999999/confirmed-accounts?format=csv', route: '/api/campaigns/[id]/confirmed-accounts', minimum: 'viewer' },
  { method: 'GET', path: '/api/ips/{ip}/confirmed-accounts?format=csv', route: '/api/ips/[ip]/confirmed-accounts', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/{finding}/confirmed-accounts?format=csv', route: '/api/findings/[id]/confirmed-accounts', minimum: 'viewer' },
  { method: 'GET', path: '/api/findings/{finding}/escalations', route: '/api/findings/[id]/escalations', minimum: 'viewer' },
  { method: 'GET', path: '/api/datasets/{dataset}/confirmed-accounts', route: '/api/datasets/[id]/confirmed-accounts', minimum: 'viewer' },
  { method: 'GET', path: '/api/datasets/{dataset}/settings', route: '/api/datasets/[id]/settings', minimum: 'viewer' },
  { method: 'GET', path: '/api/datasets/{dataset}/rule-export?language=sigma', route: '/api/datasets/[id]/rule-export', minimum: 'viewer' },
  { method: 'GET', path: '/api/suppressions', route: '/api/suppressions', minimum: 'viewer' },
  { method: 'GET', path: '/api/ips/{ip}/timeline?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z', route: '/api/ips/[ip]/timeline', minimum: 'viewer' },
  { method: 'GET', path: '/api/datasets', route: '/api/datasets', minimum: 'viewer' },
  { method: 'GET', path: '/api/datasets/{dataset}', route: '/api/datasets/[id]', minimum: 'viewer' },
  { method: 'GET', path: '/api/users', route: '/api/users', minimum: 'analyst' },
  { method: 'GET', path: '/api/saved-views', route: '/api/saved-views', minimum: 'viewer' },
  { method: 'GET', path: '/api/tokens', route: '/api/tokens', minimum: 'viewer' },
  { method: 'GET', path: '/api/admin/users', route: '/api/admin/users', minimum: 'admin' },
  { method: 'GET', path: '/api/uploads/999999', route: '/api/uploads/[id]', minimum: 'viewer' },
  { method: 'GET', path: '/api/connectors', route: '/api/connectors', minimum: 'admin' },
  { method: 'GET', path: '/api/connectors/999999', route: '/api/connectors/[id]', minimum: 'admin' },
  // API: changes. Bodies are invalid or targets missing where the change would be destructive:
  // an allowed role then gets 400/404/409 (it passed the role check), a refused one 401/403.
  { method: 'POST', path: '/api/findings/triage', route: '/api/findings/triage', minimum: 'analyst', body: {} },
  { method: 'POST', path: '/api/findings/review', route: '/api/findings/review', minimum: 'lead', body: { findingIds: [], decision: 'approve' } },
  { method: 'POST', path: '/api/suppressions/preview', route: '/api/suppressions/preview', minimum: 'lead', body: {} },
  { method: 'POST', path: '/api/findings/{finding}/comments', route: '/api/findings/[id]/comments', minimum: 'analyst', body: { body: '' } },
  { method: 'POST', path: '/api/findings/{finding}/review', route: '/api/findings/[id]/review', minimum: 'lead', body: { decision: 'approve' } },
  { method: 'POST', path: '/api/campaigns/triage', route: '/api/campaigns/triage', minimum: 'analyst', body: {} },
  { method: 'POST', path: '/api/campaigns/review', route: '/api/campaigns/review', minimum: 'lead', body: { campaignIds: [], decision: 'approve' } },
  { method: 'POST', path: '/api/findings/triage/undo', route: '/api/findings/triage/undo', minimum: 'analyst', body: {} },
  { method: 'POST', path: '/api/campaigns/999999/comments', route: '/api/campaigns/[id]/comments', minimum: 'analyst', body: { body: '' } },
  { method: 'POST', path: '/api/campaigns/999999/review', route: '/api/campaigns/[id]/review', minimum: 'lead', body: { decision: 'approve' } },
  { method: 'DELETE', path: '/api/datasets/999999', route: '/api/datasets/[id]', minimum: 'lead' },
  { method: 'PUT', path: '/api/datasets/{dataset}/settings', route: '/api/datasets/[id]/settings', minimum: 'lead', body: { lowThreshold: 0 } },
  { method: 'POST', path: '/api/datasets/999999/recompute', route: '/api/datasets/[id]/recompute', minimum: 'lead', body: { full: true } },
  { method: 'POST', path: '/api/datasets/{dataset}/settings/preview', route: '/api/datasets/[id]/settings/preview', minimum: 'lead', body: { lowThreshold: 5 } },
  { method: 'POST', path: '/api/suppressions', route: '/api/suppressions', minimum: 'lead', body: { name: '' } },
  { method: 'PUT', path: '/api/suppressions/999999', route: '/api/suppressions/[id]', minimum: 'lead', body: { name: 'x', cidr: '192.0.2.1', reason: 'y' } },
  { method: 'DELETE', path: '/api/suppressions/999999', route: '/api/suppressions/[id]', minimum: 'lead' },
  { method: 'POST', path: '/api/saved-views', route: '/api/saved-views', minimum: 'viewer', body: { name: '' } },
  { method: 'DELETE', path: '/api/saved-views/999999', route: '/api/saved-views/[id]', minimum: 'viewer' },
  { method: 'POST', path: '/api/tokens', route: '/api/tokens', minimum: 'viewer', body: { name: '' } },
  { method: 'DELETE', path: '/api/tokens/999999', route: '/api/tokens/[id]', minimum: 'viewer' },
  { method: 'POST', path: '/api/admin/users', route: '/api/admin/users', minimum: 'admin', body: { email: 'not an address' } },
  { method: 'PATCH', path: '/api/admin/users/999999', route: '/api/admin/users/[id]', minimum: 'admin', body: { role: 'viewer' } },
  { method: 'POST', path: '/api/uploads', route: '/api/uploads', minimum: 'analyst', body: { dataset: '', fileName: 'x.csv', size: 0 } },
  { method: 'PUT', path: '/api/uploads/999999', route: '/api/uploads/[id]', minimum: 'analyst', body: 'chunk' },
  { method: 'DELETE', path: '/api/uploads/999999', route: '/api/uploads/[id]', minimum: 'analyst' },
  { method: 'POST', path: '/api/connectors', route: '/api/connectors', minimum: 'admin', body: { name: '' } },
  { method: 'PUT', path: '/api/connectors/999999', route: '/api/connectors/[id]', minimum: 'admin', body: { name: '' } },
  { method: 'DELETE', path: '/api/connectors/999999', route: '/api/connectors/[id]', minimum: 'admin' },
  { method: 'POST', path: '/api/connectors/999999/run', route: '/api/connectors/[id]/run', minimum: 'admin' },
  { method: 'POST', path: '/api/connectors/999999/backfill', route: '/api/connectors/[id]/backfill', minimum: 'admin', body: { from: '2026-01-01', to: '2026-01-02' } },
  { method: 'POST', path: '/api/connectors/test', route: '/api/connectors/test', minimum: 'admin', body: { kind: 'graph', settings: {} } },
  // Sign-in itself is public; wrong credentials are a 401 for everyone.
  { method: 'POST', path: '/api/auth/login', route: '/api/auth/login', minimum: 'public', body: { email: 'nobody@example.com', password: 'wrong password!' } },
  { method: 'POST', path: '/api/auth/logout', route: '/api/auth/logout', minimum: 'public', withoutCredentials: true },
  { method: 'POST', path: '/api/setup', route: '/api/setup', minimum: 'public', body: {} },
  // Health is for monitors: states only, nothing sensitive (tests/integration/embedded-supervision.test.ts).
  { method: 'GET', path: '/api/health', route: '/api/health', minimum: 'public' },
  // Single sign-on: start redirects to the identity provider, a callback without a sign-in in progress back to /login.
  { method: 'GET', path: '/api/auth/oidc/start?next=%2F', route: '/api/auth/oidc/start', minimum: 'public' },
  { method: 'GET', path: '/api/auth/oidc/callback?code=x&state=y', route: '/api/auth/oidc/callback', minimum: 'public' },
]

const cookies = new Map<Who, string>()
const ids: Record<string, string> = {}

async function request(entry: Entry, who: Who): Promise<Response> {
  const url = base + entry.path.replace(/\{(\w+)\}/g, (_, key: string) => ids[key])
  const headers: Record<string, string> = { origin: base }
  if (entry.body !== undefined) headers['content-type'] = 'application/json'
  const cookie = entry.withoutCredentials ? undefined : cookies.get(who)
  if (cookie) headers.cookie = cookie
  return fetch(url, { method: entry.method, headers, body: entry.body === undefined ? undefined : JSON.stringify(entry.body), redirect: 'manual' })
}

async function signIn(role: Role): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify(TEST_USERS[role]),
  })
  expect(response.status).toBe(200)
  const cookie = response.headers.get('set-cookie') ?? ''
  expect(cookie).toMatch(/et_session=.+; .*HttpOnly/i)
  expect(cookie).toMatch(/SameSite=lax/i)
  return cookie.split(';')[0]
}

beforeAll(async () => {
  for (const role of ROLES) cookies.set(role, await signIn(role))
  const admin = { cookie: cookies.get('admin')!, origin: base }
  const findings = (await (await fetch(`${base}/api/findings`, { headers: admin })).json()) as { rows: { id: number; ipAddress: string; datasetId: number }[] }
  const finding = findings.rows[0]
  ids.finding = String(finding.id)
  ids.ip = finding.ipAddress
  ids.dataset = String(finding.datasetId)
  const events = (await (await fetch(`${base}/api/findings/${finding.id}/events`, { headers: admin })).json()) as { events: { id: string }[] }
  ids.event = events.events[0].id
})

function outcome(status: number, location: string | null): 'allowed' | 'sign in' | 'forbidden' {
  if (status === 401 || (status >= 300 && status < 400 && location?.includes('/login'))) return 'sign in'
  if (status === 403 || (status >= 300 && status < 400 && location?.includes('/forbidden'))) return 'forbidden'
  return 'allowed'
}

describe('authorization matrix', () => {
  for (const entry of entries) {
    it(`${entry.method} ${entry.path}: ${entry.minimum === 'public' ? 'public' : `${entry.minimum} and above`}`, async () => {
      for (const who of WHO) {
        const response = await request(entry, who)
        const got = outcome(response.status, response.headers.get('location'))
        const expected = entry.minimum === 'public' || (who !== 'anonymous' && atLeast(who, entry.minimum)) ? 'allowed' : who === 'anonymous' ? 'sign in' : 'forbidden'
        // Public routes answer their own 401/403 (wrong password, setup already done): that is not the role check.
        if (entry.minimum === 'public') expect(response.status, `${who}`).toBeLessThan(500)
        else expect(`${who}: ${got} (${response.status})`).toBe(`${who}: ${expected} (${response.status})`)
        if (expected === 'allowed' && entry.minimum !== 'public') expect(response.status, `${who} ${entry.path}`).toBeLessThan(500)
      }
    })
  }

  it('covers every page and route handler of the app', () => {
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name)
        if (statSync(full).isDirectory()) walk(full)
        else if (name === 'page.tsx' || name === 'route.ts') files.push(full)
      }
    }
    walk(path.join(repoRoot, 'app'))
    const routes = files.map((f) => '/' + path.relative(path.join(repoRoot, 'app'), path.dirname(f)).split(path.sep).join('/')).map((r) => (r === '/' ? '/' : r.replace(/\/$/, '')))
    const covered = new Set(entries.map((e) => e.route))
    expect(routes.filter((r) => !covered.has(r === '/.' ? '/' : r))).toEqual([])
  })
})

describe('sessions and tokens', () => {
  it('refuses a change with a session cookie from another site', async () => {
    const response = await fetch(`${base}/api/saved-views`, {
      method: 'POST',
      headers: { cookie: cookies.get('analyst')!, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', query: 'q=1' }),
    })
    expect(response.status).toBe(403)
  })

  it('a token acts with its own role, at most its owner, and stops working when revoked', async () => {
    const lead = { cookie: cookies.get('lead')!, origin: base, 'content-type': 'application/json' }
    const tooHigh = await fetch(`${base}/api/tokens`, { method: 'POST', headers: lead, body: JSON.stringify({ name: 'escalate', role: 'admin' }) })
    expect(tooHigh.status).toBe(400)
    const created = (await (await fetch(`${base}/api/tokens`, { method: 'POST', headers: lead, body: JSON.stringify({ name: 'reports', role: 'viewer' }) })).json()) as { token: string; summary: { id: number } }
    const bearer = { authorization: `Bearer ${created.token}` }
    expect((await fetch(`${base}/api/findings`, { headers: bearer })).status).toBe(200)
    expect((await fetch(`${base}/api/auth/me`, { headers: bearer }).then((r) => r.json())).role).toBe('viewer')
    // A viewer token cannot triage, whatever its owner may do.
    expect((await fetch(`${base}/api/findings/triage`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{}' })).status).toBe(403)
    expect((await fetch(`${base}/api/tokens/${created.summary.id}`, { method: 'DELETE', headers: lead })).status).toBe(200)
    expect((await fetch(`${base}/api/findings`, { headers: bearer })).status).toBe(401)
    expect((await fetch(`${base}/api/findings`, { headers: { authorization: 'Bearer et_not-a-real-token' } })).status).toBe(401)
  })

  it('signing out ends the session on the server', async () => {
    const cookie = await signIn('viewer')
    expect((await fetch(`${base}/api/auth/me`, { headers: { cookie } })).status).toBe(200)
    expect((await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: base } })).status).toBe(200)
    expect((await fetch(`${base}/api/auth/me`, { headers: { cookie } })).status).toBe(401)
  })

  it('answers the same for an unknown e-mail and a wrong password', async () => {
    const attempt = (email: string) =>
      fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email, password: 'definitely wrong 1' }) }).then(async (r) => [r.status, (await r.json()).error])
    // Not nobody@example.com: the matrix above guessed at it from every caller, and it is throttled now.
    expect(await attempt('nobody.else@example.com')).toEqual(await attempt(TEST_USERS.viewer.email))
  })
})

describe('the icon', () => {
  it('/favicon.ico answers anyone with the app icon, as browsers ask for it where a response names none', async () => {
    const [favicon, icon] = await Promise.all([fetch(`${base}/favicon.ico`), fetch(`${base}/icon.svg`)])
    expect(favicon.status).toBe(200)
    expect(favicon.headers.get('content-type')).toContain('image/svg+xml')
    expect(await favicon.text()).toBe(await icon.text())
  })
})
