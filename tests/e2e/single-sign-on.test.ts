import pg from 'pg'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { SSO_LABEL, TEST_USERS } from '../setup/app-server'
import { withLogin, type FakeLogin } from '../helpers/fake-oidc-provider'

// Single sign-on through the running app, over HTTP as a browser does it: start → the fake
// identity provider → callback, each redirect followed by hand so every step can be checked.

const base = inject('appUrl')
const issuer = inject('oidcIssuer')
const CALLBACK = `${base}/api/auth/oidc/callback`

interface Started {
  authorizeUrl: string
  flowCookie: string
  setCookie: string
}

async function start(next: string): Promise<Started> {
  const response = await fetch(`${base}/api/auth/oidc/start?next=${encodeURIComponent(next)}`, { redirect: 'manual' })
  expect(response.status).toBe(302)
  const setCookie = response.headers.get('set-cookie') ?? ''
  return { authorizeUrl: response.headers.get('location') ?? '', flowCookie: setCookie.split(';')[0], setCookie }
}

/** The provider's answer: the callback URL it sends the browser to. */
async function atProvider(authorizeUrl: string, login: FakeLogin): Promise<string> {
  const response = await fetch(withLogin(authorizeUrl, login), { redirect: 'manual' })
  expect(response.status).toBe(302)
  const callback = response.headers.get('location') ?? ''
  expect(callback.startsWith(`${CALLBACK}?`)).toBe(true)
  return callback
}

async function callback(url: string, flowCookie: string | null): Promise<{ status: number; location: string; cookies: string[] }> {
  const response = await fetch(url, { headers: flowCookie ? { cookie: flowCookie } : {}, redirect: 'manual' })
  return { status: response.status, location: response.headers.get('location') ?? '', cookies: response.headers.getSetCookie() }
}

async function signIn(login: FakeLogin, next = '/findings') {
  const started = await start(next)
  return callback(await atProvider(started.authorizeUrl, login), started.flowCookie)
}

function sessionCookie(cookies: string[]): string | null {
  const found = cookies.find((c) => c.startsWith('et_session=') && !c.startsWith('et_session=;'))
  return found ? found.split(';')[0] : null
}

async function me(cookie: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/auth/me`, { headers: { cookie } })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** Where a failed sign-in lands: the sign-in page, with the reason in the query and on the page. */
async function expectSignInPageSaying(location: string, reason: string): Promise<void> {
  expect(location.startsWith('/login?error=')).toBe(true)
  expect(new URL(location, base).searchParams.get('error')).toBe(reason)
  const page = await fetch(new URL(location, base))
  expect(page.status).toBe(200)
  expect(await page.text()).toContain(reason)
}

let adminCookie = ''

beforeAll(async () => {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify(TEST_USERS.admin),
  })
  expect(response.status).toBe(200)
  adminCookie = (response.headers.get('set-cookie') ?? '').split(';')[0]
})

describe('single sign-on', () => {
  it('the sign-in page offers it, and start sends the browser to the provider with PKCE, state and nonce', async () => {
    const page = await (await fetch(`${base}/login?next=%2Fdatasets`)).text()
    // React separates the text and the label with an empty comment.
    expect(page.replace(/<!-- -->/g, '')).toContain(`Sign in with ${SSO_LABEL}`)
    expect(page).toContain('href="/api/auth/oidc/start?next=%2Fdatasets"')

    const started = await start('/datasets')
    const authorize = new URL(started.authorizeUrl)
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${issuer}/authorize`)
    expect(authorize.searchParams.get('redirect_uri')).toBe(CALLBACK)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    for (const param of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(param), param).toMatch(/^[\w-]{22,}$/)
    expect(started.flowCookie).toMatch(/^et_oidc=.+/)
    expect(started.setCookie).toMatch(/HttpOnly/i)
    expect(started.setCookie).toMatch(/SameSite=lax/i)
    expect(started.setCookie).toMatch(/Path=\/api\/auth\/oidc/)
    expect(started.setCookie).toMatch(/Max-Age=600/)
  })

  it('signs a new person in with the role their app role maps to, and returns them where they were going', async () => {
    const result = await signIn({ sub: 'sso-new-analyst', claims: { name: 'Sam Single', email: 'sam.single@contoso.com', roles: ['Triage.Analyst'] } }, '/findings?verdict=High')
    expect([result.status, result.location]).toEqual([302, '/findings?verdict=High'])
    const session = result.cookies.find((c) => c.startsWith('et_session='))!
    expect(session).toMatch(/HttpOnly/i)
    expect(session).toMatch(/SameSite=lax/i)
    // The flow cookie is spent.
    expect(result.cookies.find((c) => c.startsWith('et_oidc='))).toMatch(/^et_oidc=;.*Max-Age=0/i)
    const who = await me(sessionCookie(result.cookies)!)
    expect(who).toEqual({ status: 200, body: { email: 'sam.single@contoso.com', displayName: 'Sam Single', role: 'analyst', via: 'session', tokenName: null } })
    const page = await fetch(`${base}/findings`, { headers: { cookie: sessionCookie(result.cookies)! }, redirect: 'manual' })
    expect(page.status).toBe(200)
  })

  it('links an account an administrator created, and its role follows the provider', async () => {
    const created = await fetch(`${base}/api/admin/users`, {
      method: 'POST',
      headers: { cookie: adminCookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lina.lead@contoso.com', displayName: 'Lina Lead', role: 'lead' }),
    })
    expect(created.status).toBe(201)
    const first = await signIn({ sub: 'sso-lina', claims: { preferred_username: 'Lina.Lead@contoso.com' } })
    expect((await me(sessionCookie(first.cookies)!)).body).toMatchObject({ email: 'lina.lead@contoso.com', displayName: 'Lina Lead', role: 'lead' })

    const promoted = await signIn({ sub: 'sso-lina', claims: { preferred_username: 'lina.lead@contoso.com', roles: ['Triage.Analyst', 'Triage.Admin'] } })
    expect((await me(sessionCookie(promoted.cookies)!)).body.role).toBe('admin')
    const users = (await (await fetch(`${base}/api/admin/users`, { headers: { cookie: adminCookie } })).json()) as { users: { email: string; role: string; singleSignOn: boolean; hasPassword: boolean }[] }
    expect(users.users.find((u) => u.email === 'lina.lead@contoso.com')).toMatchObject({ role: 'admin', singleSignOn: true, hasPassword: false })
  })

  it('never follows "next" off the site', async () => {
    for (const next of ['//evil.example/steal', '/\\evil.example', 'https://evil.example/']) {
      const result = await signIn({ sub: 'sso-next', claims: { email: 'nick.next@contoso.com' } }, next)
      expect([next, result.status, result.location]).toEqual([next, 302, '/'])
    }
    // Nor when the flow cookie itself was rewritten to point elsewhere.
    const started = await start('/findings')
    const pending = JSON.parse(Buffer.from(started.flowCookie.slice('et_oidc='.length), 'base64url').toString('utf8')) as { next: string }
    expect(pending.next).toBe('/findings')
    const rewritten = `et_oidc=${Buffer.from(JSON.stringify({ ...pending, next: '//evil.example/steal' })).toString('base64url')}`
    const result = await callback(await atProvider(started.authorizeUrl, { sub: 'sso-next', claims: { email: 'nick.next@contoso.com' } }), rewritten)
    expect([result.status, result.location]).toEqual([302, '/'])
    expect(sessionCookie(result.cookies)).not.toBeNull()
  })

  it('a refusal at the provider lands on the sign-in page, without a session', async () => {
    const result = await signIn({ sub: 'sso-denied', claims: { email: 'denied@contoso.com' }, misbehave: 'access_denied' })
    expect(result.status).toBe(302)
    expect(sessionCookie(result.cookies)).toBeNull()
    await expectSignInPageSaying(result.location, 'the identity provider did not sign you in (cancelled or not allowed)')
  })

  it('an ID token that does not validate is refused', async () => {
    for (const misbehave of ['wrong-nonce', 'wrong-audience', 'bad-signature'] as const) {
      const result = await signIn({ sub: 'sso-forged', claims: { email: 'forged@contoso.com', roles: ['Triage.Admin'] }, misbehave })
      expect(sessionCookie(result.cookies), misbehave).toBeNull()
      expect(new URL(result.location, base).searchParams.get('error'), misbehave).toBe("the identity provider's answer did not validate: try again")
    }
    const users = (await (await fetch(`${base}/api/admin/users`, { headers: { cookie: adminCookie } })).json()) as { users: { email: string }[] }
    expect(users.users.map((u) => u.email)).not.toContain('forged@contoso.com')
  })

  it('a callback without this browser’s sign-in, or replayed, is refused', async () => {
    const started = await start('/')
    const url = await atProvider(started.authorizeUrl, { sub: 'sso-replay', claims: { email: 'rex.replay@contoso.com' } })
    const noCookie = await callback(url, null)
    expect(sessionCookie(noCookie.cookies)).toBeNull()
    await expectSignInPageSaying(noCookie.location, 'the sign-in expired or was started in another browser: try again')

    const tampered = await callback(url, 'et_oidc=bm90IGpzb24')
    expect(sessionCookie(tampered.cookies)).toBeNull()
    expect(new URL(tampered.location, base).searchParams.get('error')).toBe('the sign-in expired or was started in another browser: try again')

    const good = await callback(url, started.flowCookie)
    expect(good.location).toBe('/')
    expect((await me(sessionCookie(good.cookies)!)).status).toBe(200)
    // Someone who captured the callback URL and the (since cleared) cookie gets nothing.
    const replay = await callback(url, started.flowCookie)
    expect(sessionCookie(replay.cookies)).toBeNull()
    expect(new URL(replay.location, base).searchParams.get('error')).toBe('the identity provider refused the sign-in code (invalid_grant)')
  })

  it('a disabled account is refused', async () => {
    const first = await signIn({ sub: 'sso-disabled', claims: { email: 'dee.disabled@contoso.com' } })
    expect((await me(sessionCookie(first.cookies)!)).status).toBe(200)
    const users = (await (await fetch(`${base}/api/admin/users`, { headers: { cookie: adminCookie } })).json()) as { users: { id: number; email: string }[] }
    const id = users.users.find((u) => u.email === 'dee.disabled@contoso.com')!.id
    const disabled = await fetch(`${base}/api/admin/users/${id}`, { method: 'PATCH', headers: { cookie: adminCookie, origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) })
    expect(disabled.status).toBe(200)
    const again = await signIn({ sub: 'sso-disabled', claims: { email: 'dee.disabled@contoso.com' } })
    expect(sessionCookie(again.cookies)).toBeNull()
    await expectSignInPageSaying(again.location, 'your account is disabled')
  })

  it('sign-ins and refusals are in the audit trail', async () => {
    const db = new pg.Client({ connectionString: inject('appDatabaseUrl') })
    await db.connect()
    try {
      const { rows } = await db.query<{ action: string; entity_id: string; after: { method: string; reason?: string } }>(
        `SELECT action, entity_id, after FROM audit_events WHERE action IN ('auth.sign-in', 'auth.sign-in-failed') AND after->>'method' = 'oidc'`,
      )
      expect(rows.some((r) => r.action === 'auth.sign-in')).toBe(true)
      expect(rows.filter((r) => r.action === 'auth.sign-in-failed').map((r) => r.after.reason)).toContain('your account is disabled')
    } finally {
      await db.end()
    }
  })
})
