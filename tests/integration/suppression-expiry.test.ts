import { NextRequest } from 'next/server'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { createSuppression, listSuppressions, SUPPRESSION_TEMPLATES, updateSuppression } from '@/lib/tuning/suppressions'
import { query } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// A penetration-test rule must end with the engagement: the template says so, the form marks the
// expiry required, and the server refuses an active pen-test rule without one, whoever calls it.
useTestDatabase()

// The route resolves its caller from the request's cookies or token through Next's request
// context, which only exists inside the server; everything behind it here is the real code and database.
const caller: { actor: Actor | null } = { actor: null }
vi.mock('@/lib/http/request-actor', () => ({ requestActor: async () => caller.actor }))

const NEEDS_EXPIRY = /a penetration-test rule needs an expiry: the end of the engagement/
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString()
const penTest = SUPPRESSION_TEMPLATES.find((t) => t.id === 'pen-test')!

let lead: Actor

beforeAll(async () => {
  lead = { user: await createUser({ email: 'lead@example.com', role: 'lead', password: 'lead-password-123' }), via: 'token', tokenName: 'test' }
  caller.actor = lead
})

describe('the pen-test template', () => {
  it('is the template that requires an expiry, and says so', () => {
    expect(SUPPRESSION_TEMPLATES.filter((t) => t.requiresExpiry).map((t) => t.id)).toEqual(['pen-test'])
    expect(penTest.description).toMatch(/expiry is required/)
  })

  it('refuses a rule without an expiry, and creates nothing', async () => {
    await expect(createSuppression({ ...penTest.fields, name: 'Penetration test', reason: 'PT-2026-03', cidr: '192.0.2.192/27', template: 'pen-test' }, lead)).rejects.toThrow(NEEDS_EXPIRY)
    expect(await listSuppressions()).toEqual([])
  })

  it('accepts it with an expiry, and refuses an edit that takes the expiry away', async () => {
    const rule = await createSuppression({ ...penTest.fields, name: 'Penetration test', reason: 'PT-2026-03', cidr: '192.0.2.192/27', template: 'pen-test', expiresAt: inAWeek() }, lead)
    expect(rule.template).toBe('pen-test')
    await expect(updateSuppression(rule.id, { ...rule, expiresAt: null }, lead)).rejects.toThrow(NEEDS_EXPIRY)
    expect((await listSuppressions()).find((r) => r.id === rule.id)?.expiresAt).toBe(rule.expiresAt)
    const later = new Date(Date.now() + 14 * 86_400_000).toISOString()
    expect((await updateSuppression(rule.id, { ...rule, expiresAt: later, reason: 'Engagement PT-2026-03, extended' }, lead)).expiresAt).toBe(later)
  })

  it('lets a lead switch off an old open-ended pen-test rule, but not back on without an expiry', async () => {
    // As rules made before the expiry was enforced were stored.
    const [{ id }] = await query<{ id: number }>(
      "INSERT INTO suppression_rules (name, cidr, reason, enabled, template, owner_id, created_by_id) VALUES ('Old pen test', '198.51.100.0/24'::cidr, 'PT-2025-11', true, 'pen-test', $1, $1) RETURNING id",
      [lead.user.id],
    )
    const old = (await listSuppressions()).find((r) => r.id === id)!
    expect((await updateSuppression(id, { ...old, enabled: false }, lead)).enabled).toBe(false)
    await expect(updateSuppression(id, { ...old, enabled: true }, lead)).rejects.toThrow(NEEDS_EXPIRY)
    expect((await updateSuppression(id, { ...old, enabled: true, expiresAt: inAWeek() }, lead)).enabled).toBe(true)
  })

  it('leaves the other templates open-ended', async () => {
    const entra = SUPPRESSION_TEMPLATES.find((t) => t.id === 'entra-connect')!
    const rule = await createSuppression({ ...entra.fields, name: 'Entra Connect server', reason: 'AADC01 sync', cidr: '198.51.100.20/32', template: 'entra-connect' }, lead)
    expect(rule.expiresAt).toBeNull()
  })
})

describe('POST /api/suppressions', () => {
  const post = async (body: unknown) => {
    const { POST } = await import('@/app/api/suppressions/route')
    const request = new NextRequest('http://127.0.0.1/api/suppressions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const response = await POST(request, { params: Promise.resolve({}) })
    return { status: response.status, body: (await response.json()) as { error?: string; issues?: string[]; id?: number } }
  }

  it('answers 400 naming the missing expiry for a pen-test rule without one', async () => {
    const response = await post({ name: 'Penetration test', cidr: '203.0.113.0/28', reason: 'PT-2026-04', template: 'pen-test', expiresAt: null })
    expect(response.status).toBe(400)
    expect(response.body.issues).toEqual(['expiresAt: a penetration-test rule needs an expiry: the end of the engagement'])
  })

  it('creates it with one', async () => {
    const response = await post({ name: 'Penetration test', cidr: '203.0.113.0/28', reason: 'PT-2026-04', template: 'pen-test', expiresAt: inAWeek() })
    expect(response.status).toBe(201)
    expect(response.body.id).toBeGreaterThan(0)
  })
})
