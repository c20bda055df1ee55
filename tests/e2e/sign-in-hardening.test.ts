import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { TEST_USERS } from '../setup/app-server'
import { startAppProcess, type AppProcess } from '../helpers/app-process'
import { CHROMIUM_ARGS } from '../helpers/chromium'
import { createDatabaseOn, dropDatabaseOn } from '../helpers/database-admin'
import { httpFrom } from '../helpers/http-from'

// Issue 12's attacks on sign-in and first-run setup, over HTTP against the built app as
// `npm start` serves it. A second app on a fresh database is claimed with its console's setup
// code and sits behind a "proxy" (127.0.0.9 in ET_TRUSTED_PROXIES). Clients are told apart by
// their socket address: requests are sent from different loopback addresses (127.0.0.0/8).

const browserPath = inject('chromiumPath')
const PROXY = '127.0.0.9'
const ADMIN = { email: 'first.admin@example.com', password: 'first admin password 1' }

describe('a fresh install', () => {
  let app: AppProcess
  let database: { name: string; url: string }

  beforeAll(async () => {
    database = await createDatabaseOn(inject('postgresAdminUrl'))
    app = await startAppProcess({ databaseUrl: database.url, env: { ET_TRUSTED_PROXIES: PROXY, ET_SKIP_DEMO: '1' } })
  })

  afterAll(async () => {
    await app?.stop()
    if (database) await dropDatabaseOn(inject('postgresAdminUrl'), database.name)
  })

  async function printedCode(): Promise<string> {
    await expect.poll(() => /setup code: ([A-Z2-9-]{23})/.exec(app.output())?.[1], { timeout: 30_000 }).toBeTruthy()
    return /setup code: ([A-Z2-9-]{23})/.exec(app.output())![1]
  }

  it('cannot be claimed from the network without the code printed in its console', async () => {
    const code = await printedCode()
    expect(app.output()).toContain(`/setup?code=${code}`)
    const claim = (setupCode?: string) => httpFrom('127.0.0.77', `${app.url}/api/setup`, { body: { setupCode, email: 'mallory@example.com', password: 'mallory password 1' } })
    expect((await claim()).status).toBe(400)
    const wrong = await claim('AAAAA-BBBBB-CCCCC-DDDDD')
    expect(wrong.status).toBe(403)
    expect(wrong.json().error).toMatch(/wrong setup code/)
    expect((await claim('')).status).toBe(403)
    // Still unclaimed: every page leads to setup.
    const home = await httpFrom('127.0.0.77', `${app.url}/`)
    expect(home.status).toBe(307)
    expect(home.headers.location).toMatch(/\/setup$/)
  })

  it.skipIf(!browserPath)('is claimed in the browser through the link the console printed', async () => {
    const code = await printedCode()
    const browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text())
      })
      page.on('pageerror', (error) => problems.push(String(error)))
      await page.goto(`${app.url}/setup?code=${code}`)
      expect(await page.locator('input[name="setupCode"]').inputValue()).toBe(code)
      await page.locator('input[name="email"]').fill(ADMIN.email)
      await page.locator('input[name="password"]').fill(ADMIN.password)
      await page.locator('input[name="confirm"]').fill(ADMIN.password)
      await page.locator('form[aria-label="Create the first administrator"] button[type="submit"]').click()
      await page.waitForURL((url) => url.pathname === '/')
      expect(await page.evaluate(async () => (await fetch('/api/auth/me')).json())).toMatchObject({ email: ADMIN.email, role: 'admin' })
      // The page ran under its Content-Security-Policy without a violation.
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
    // The code is used up.
    const again = await httpFrom('127.0.0.77', `${app.url}/api/setup`, { body: { setupCode: code, email: 'late@example.com', password: 'late password 12' } })
    expect(again.status).toBe(403)
  })

  it('behind a trusted proxy, throttles the client the proxy names, whatever the client wrote', async () => {
    if (!browserPath) {
      // Without the browser test the install is not claimed yet: claim it over HTTP.
      const created = await httpFrom('127.0.0.77', `${app.url}/api/setup`, { body: { setupCode: await printedCode(), ...ADMIN } })
      expect(created.status).toBe(201)
    }
    // The proxy appends the address it saw to whatever X-Forwarded-For the client sent.
    const viaProxy = (client: string, body: unknown, spoofed = '') =>
      httpFrom(PROXY, `${app.url}/api/auth/login`, { body, headers: { 'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client } })
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) statuses.push((await viaProxy('198.51.100.1', { email: `made-up-${i}@example.com`, password: 'whatever 1234' }, `10.9.${i}.1`)).status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(20)
    expect(statuses.filter((s) => s === 429)).toHaveLength(10)
    const refused = await viaProxy('198.51.100.1', { email: ADMIN.email, password: ADMIN.password })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.json().error).toMatch(/too many failed sign-ins: try again in/)
    // Nobody else was locked out: the administrator signs in from another address.
    expect((await viaProxy('198.51.100.2', ADMIN)).status).toBe(200)
    // A client that is not the proxy cannot pick its address with the header.
    const direct = await httpFrom('127.0.0.78', `${app.url}/api/auth/login`, { body: ADMIN, headers: { 'x-forwarded-for': '198.51.100.1' } })
    expect(direct.status).toBe(200)
  })

  it('believes X-Forwarded-Proto and X-Forwarded-Host from the trusted proxy only', async () => {
    const secure = (answer: { headers: Record<string, unknown> }) => /;\s*secure/i.test(String(answer.headers['set-cookie']))
    // A client claiming HTTPS gets no Secure cookie (it would claim it to look like the proxy) …
    const direct = await httpFrom('127.0.0.81', `${app.url}/api/auth/login`, { body: ADMIN, headers: { 'x-forwarded-proto': 'https' } })
    expect(direct.status).toBe(200)
    expect(secure(direct)).toBe(false)
    // … the proxy that terminated TLS does.
    const proxied = await httpFrom(PROXY, `${app.url}/api/auth/login`, { body: ADMIN, headers: { 'x-forwarded-for': '198.51.100.9', 'x-forwarded-proto': 'https' } })
    expect(proxied.status).toBe(200)
    expect(secure(proxied)).toBe(true)
    // A cross-site page cannot pass the same-origin check by naming its own host as forwarded.
    const forged = await httpFrom('127.0.0.82', `${app.url}/api/auth/login`, { body: ADMIN, headers: { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' } })
    expect(forged.status).toBe(403)
  })

  it('evaluates at most the limit of 30 concurrent wrong guesses', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => httpFrom(PROXY, `${app.url}/api/auth/login`, { body: { email: ` ${ADMIN.email.toUpperCase()}`, password: `guess ${i}` }, headers: { 'x-forwarded-for': '198.51.100.3' } })),
    )
    const wrong = answers.filter((a) => a.status === 401).length
    expect(wrong).toBeGreaterThan(0)
    expect(wrong).toBeLessThanOrEqual(5)
    expect(answers.filter((a) => a.status === 429)).toHaveLength(30 - wrong)
  })

  it("an administrator's password reset ends the account's sessions", async () => {
    const admin = await httpFrom('127.0.0.79', `${app.url}/api/auth/login`, { body: ADMIN })
    const adminCookie = String(admin.headers['set-cookie']).split(';')[0]
    const created = await httpFrom('127.0.0.79', `${app.url}/api/admin/users`, { headers: { cookie: adminCookie }, body: { email: 'reset.me@example.com', role: 'analyst', password: 'old password 1234' } })
    expect(created.status).toBe(201)
    const id = created.json<{ id: number }>().id
    const victim = await httpFrom('127.0.0.80', `${app.url}/api/auth/login`, { body: { email: 'reset.me@example.com', password: 'old password 1234' } })
    const victimCookie = String(victim.headers['set-cookie']).split(';')[0]
    expect((await httpFrom('127.0.0.80', `${app.url}/api/auth/me`, { headers: { cookie: victimCookie } })).status).toBe(200)
    const reset = await httpFrom('127.0.0.79', `${app.url}/api/admin/users/${id}`, { method: 'PATCH', headers: { cookie: adminCookie }, body: { password: 'new password 12345' } })
    expect(reset.status).toBe(200)
    expect((await httpFrom('127.0.0.80', `${app.url}/api/auth/me`, { headers: { cookie: victimCookie } })).status).toBe(401)
  })
})

describe('the app without a trusted proxy', () => {
  const base = inject('appUrl')

  it('ignores a spoofed X-Forwarded-For: a new value per guess does not reset the count', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const answer = await httpFrom('127.0.0.50', `${base}/api/auth/login`, { body: { email: TEST_USERS.viewer.email, password: `wrong ${i}` }, headers: { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `203.0.113.${i}` } })
      statuses.push(answer.status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
    // The same account from another address still signs in (so do the other test files).
    expect((await httpFrom('127.0.0.51', `${base}/api/auth/login`, { body: TEST_USERS.viewer })).status).toBe(200)
  })
})

describe('security headers', () => {
  const base = inject('appUrl')

  it('pages carry a nonce-based Content-Security-Policy and refuse framing', async () => {
    const page = await fetch(`${base}/login`)
    const policy = page.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1]
    expect(nonce).toBeTruthy()
    expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/)
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(policy).toContain("frame-ancestors 'none'")
    expect(policy).toContain("object-src 'none'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.headers.get('referrer-policy')).toBe('same-origin')
    // Every script Next.js writes carries this response's nonce; a second response has another.
    const html = await page.text()
    const scripts = html.match(/<script\b[^>]*>/g) ?? []
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
    expect((await fetch(`${base}/login`)).headers.get('content-security-policy')).not.toBe(policy)
  })

  it('API answers carry headers too', async () => {
    const answer = await fetch(`${base}/api/auth/me`)
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(answer.headers.get('x-frame-options')).toBe('DENY')
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('the sign-in page shows only known failure reasons, never text from the link', async () => {
    const planted = 'Your session expired. Call the helpdesk at +1 555 0100 now'
    // What the page shows (the router's copy of the URL in the page data is not shown).
    const shown = async (error: string) => /<main[^>]*>([\s\S]*?)<\/main>/.exec(await (await fetch(`${base}/login?error=${encodeURIComponent(error)}`)).text())![1]
    const planted_ = await shown(planted)
    expect(planted_).not.toContain('helpdesk')
    expect(planted_).toContain('single sign-on failed: try again')
    expect(await shown('your account is disabled')).toContain('your account is disabled')
    expect(await shown('the identity provider refused the sign-in code (invalid_grant)')).toContain('(invalid_grant)')
    expect(await shown('the identity provider refused the sign-in code (<b>call us</b>)')).not.toContain('call us')
  })
})
