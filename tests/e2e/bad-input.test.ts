import { beforeAll, describe, expect, inject, it } from 'vitest'
import { TEST_USERS } from '../setup/app-server'

// Issue 12 and 13's bad input from people: ids beyond PostgreSQL's integer, NUL bytes, year
// 0000, invalid findings parameters, a page past the end. The API answers 400 with a message;
// a page shows its defaults, the last page or "not found" — never a 500.

const base = inject('appUrl')
let cookie = ''

beforeAll(async () => {
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(TEST_USERS.analyst) })
  expect(response.status).toBe(200)
  cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]
})

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' })
  return { status: response.status, text: await response.text() }
}

async function apiError(path: string, init: RequestInit = {}): Promise<{ status: number; error: string }> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { cookie, origin: base, 'content-type': 'application/json', ...init.headers } })
  return { status: response.status, error: ((await response.json()) as { error: string }).error }
}

describe('API routes answer 400 with a message', () => {
  const cases: [string, RegExp][] = [
    ['/api/findings?dataset=2147483648', /dataset must be a dataset id/],
    ['/api/findings?q=a%00b', /NUL/],
    ['/api/findings?from=0000-01-01', /from must be an ISO 8601 date/],
    ['/api/findings/2147483648', /finding id must be a positive integer/],
    ['/api/campaigns?dataset=2147483648', /dataset must be a dataset id/],
    ['/api/findings/export?format=csv&to=0000-01-01', /to must be an ISO 8601 date/],
    ['/api/ips/203.0.113.9/timeline?from=0000-01-01T00:00:00Z&to=0000-01-02T00:00:00Z', /from must be/],
    ['/api/suppressions?dataset=99999999999', /dataset must be a dataset id/],
    ['/api/findings?status=bogus', /status must be one of/],
    ['/api/findings?sort=password.desc', /sort must be key\.asc or key\.desc/],
    ['/api/findings?size=7', /size must be one of 25, 50, 100, 250/],
    ['/api/findings?page=abc', /page must be a positive integer/],
    ['/api/findings?page=99', /page 99 is past the last page/],
  ]
  for (const [path, message] of cases) {
    it(`GET ${path}`, async () => {
      const answer = await apiError(path)
      expect(answer.status).toBe(400)
      expect(answer.error).toMatch(message)
    })
  }

  it('a NUL in a body (a token name) is refused without any database text', async () => {
    const answer = await apiError('/api/tokens', { method: 'POST', body: JSON.stringify({ name: 'nightly\u0000export', role: 'viewer' }) })
    expect(answer.status).toBe(400)
    expect(answer.error).toBe('body.name may not contain a NUL character')
    expect(answer.error).not.toMatch(/prisma|invalid byte|0x00|invocation/i)
  })

  it('an id beyond PostgreSQL integer or a year-0000 expiry in a body is a 400', async () => {
    const token = await apiError('/api/tokens', { method: 'POST', body: JSON.stringify({ name: 'old', role: 'viewer', expiresAt: '0000-01-01T00:00:00Z' }) })
    expect(token.status).toBe(400)
    const triage = await apiError('/api/findings/triage', { method: 'POST', body: JSON.stringify({ findingIds: [2147483648], status: 'active' }) })
    expect(triage.status).toBe(400)
  })

  it('valid parameters still work', async () => {
    const response = await fetch(`${base}/api/findings?sort=bucket.desc&size=25&page=1&status=new`, { headers: { cookie } })
    expect(response.status).toBe(200)
  })
})

describe('pages never answer 500 to bad parameters', () => {
  for (const path of ['/?dataset=2147483648', '/findings?q=a%00b', '/findings?from=0000-01-01', '/findings?dataset=2147483648', '/campaigns?dataset=2147483648', '/tuning?dataset=2147483648', '/findings?status=bogus&sort=password.desc&size=7&page=-3']) {
    it(`${path} shows the page with its defaults`, async () => {
      expect((await get(path)).status).toBe(200)
    })
  }

  for (const path of ['/findings/2147483648', '/datasets/2147483648', '/campaigns/2147483648', '/findings/1%00']) {
    it(`${path} is "not found"`, async () => {
      expect((await get(path)).status).toBe(404)
    })
  }

  it('a page past the end shows the last page, not "4,901–9 of 9"', async () => {
    const total = ((await (await fetch(`${base}/api/findings?size=25`, { headers: { cookie } })).json()) as { total: number }).total
    const last = Math.max(1, Math.ceil(total / 25))
    const { status, text: html } = await get('/findings?size=25&page=99')
    expect(status).toBe(200)
    // React separates adjacent text with comments in server-rendered HTML.
    const text = html.replace(/<!-- -->/g, '')
    expect(text).toContain(`Page ${last} of ${last}`)
    expect(text).not.toContain('2,451')
  })
})
