import { describe, expect, it } from 'vitest'
import { createApiToken, listApiTokens, revokeApiToken, tokenUser } from '@/lib/auth/api-tokens'
import { createFirstAdmin, SetupCodeError } from '@/lib/auth/first-admin'
import { THROTTLE } from '@/lib/auth/login-throttle'
import { issueSetupCode } from '@/lib/auth/setup-code'
import { signInWithPassword, type SignInResult } from '@/lib/auth/sign-in'
import { createSession, sessionUser } from '@/lib/auth/sessions'
import { adminUpdateUser } from '@/lib/auth/user-admin'
import { createUser, type UserSummary } from '@/lib/auth/users'
import { closeDatabase, getPrisma } from '@/lib/db/database'
import { useTestDatabase } from '../helpers/test-database'

// The attacks on sign-in from issue 12, each against the real database: a second spelling of
// an address, a burst of concurrent guesses, made-up addresses to lock everyone out, guesses
// from many addresses; and the first-run claim, the password reset, the audit trail.
useTestDatabase()

const PASSWORD = 'the right password 1'
let users: Record<'admin' | 'alice' | 'bob' | 'carol' | 'dave', UserSummary>

async function audits(action: string): Promise<{ entityId: string; actorLabel: string; after: unknown }[]> {
  return (await getPrisma()).auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' }, select: { entityId: true, actorLabel: true, after: true } })
}

/** Lets every lock on these keys run out, as if its delay had passed. */
async function letLocksPass(): Promise<void> {
  await (await getPrisma()).$executeRawUnsafe(`UPDATE login_throttles SET locked_until = now() - interval '1 second' WHERE locked_until IS NOT NULL`)
}

function tally(results: SignInResult[]): Record<SignInResult['outcome'], number> {
  const counts = { 'signed-in': 0, wrong: 0, throttled: 0 }
  for (const r of results) counts[r.outcome]++
  return counts
}

describe('first-run setup', () => {
  it('needs the one-time code printed by the server, and uses it up', async () => {
    const code = await issueSetupCode()
    expect(code).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/)
    // Someone on the network without the console's code gets nothing.
    await expect(createFirstAdmin('mallory@example.com', '', PASSWORD, 'AAAAA-AAAAA-AAAAA-AAAAA')).rejects.toBeInstanceOf(SetupCodeError)
    await expect(createFirstAdmin('mallory@example.com', '', PASSWORD, '')).rejects.toBeInstanceOf(SetupCodeError)
    expect(await (await getPrisma()).user.count()).toBe(0)
    // A newer start's code replaces the older one.
    const newer = (await issueSetupCode())!
    await expect(createFirstAdmin('mallory@example.com', '', PASSWORD, code!)).rejects.toBeInstanceOf(SetupCodeError)
    // Typed by hand: lower case, without dashes.
    const admin = await createFirstAdmin('admin@example.com', 'Admin', PASSWORD, newer.toLowerCase().replace(/-/g, ''))
    expect(admin.role).toBe('admin')
    expect(await (await getPrisma()).setupCode.count()).toBe(0)
    expect(await issueSetupCode()).toBeNull()
    await expect(createFirstAdmin('mallory@example.com', '', PASSWORD, newer)).rejects.toThrow(/already done/)
    users = {
      admin,
      alice: await createUser({ email: 'alice@example.com', role: 'analyst', password: PASSWORD }),
      bob: await createUser({ email: 'bob@example.com', role: 'viewer', password: PASSWORD }),
      carol: await createUser({ email: 'carol@example.com', role: 'lead', password: PASSWORD }),
      dave: await createUser({ email: 'dave@example.com', role: 'viewer', password: PASSWORD }),
    }
  })
})

describe('sign-in throttling', () => {
  it('counts every spelling of an address as the same account', async () => {
    for (let i = 0; i < THROTTLE.pair.free; i++) expect((await signInWithPassword('alice@example.com', `wrong ${i}`, '203.0.113.1')).outcome).toBe('wrong')
    // Before: the throttle lower-cased, sign-in also trimmed, so ' alice@…' had a fresh counter.
    for (const spelling of [' alice@example.com', 'ALICE@example.com ', '\talice@EXAMPLE.com']) {
      expect((await signInWithPassword(spelling, PASSWORD, '203.0.113.1')).outcome, spelling).toBe('throttled')
    }
    // Another client is not the guesser: Alice signs in from her own address.
    expect((await signInWithPassword('alice@example.com', PASSWORD, '198.51.100.7')).outcome).toBe('signed-in')
  })

  it('evaluates at most the limit of 30 concurrent wrong guesses', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signInWithPassword('bob@example.com', `guess ${i}`, '203.0.113.2')))
    const counts = tally(results)
    expect(counts.wrong).toBeLessThanOrEqual(THROTTLE.pair.free)
    expect(counts.wrong + counts.throttled).toBe(30)
    // Each evaluated guess is in the audit trail, the refused ones are not (their lockout is).
    expect((await audits('auth.sign-in-failed')).filter((a) => a.entityId === 'bob@example.com')).toHaveLength(counts.wrong)
    expect((await audits('auth.lockout')).map((a) => a.entityId)).toContain('pair:bob@example.com|203.0.113.2')
    // The count lives in the database: a new connection (another process, a restart) sees it.
    await closeDatabase()
    expect((await signInWithPassword('bob@example.com', PASSWORD, '203.0.113.2')).outcome).toBe('throttled')
  })

  it('backs off: after the lock passes one guess is evaluated, then the lock doubles', async () => {
    await letLocksPass()
    expect((await signInWithPassword('bob@example.com', 'one more guess', '203.0.113.2')).outcome).toBe('wrong')
    const row = await (await getPrisma()).loginThrottle.findUniqueOrThrow({ where: { key: 'pair:bob@example.com|203.0.113.2' } })
    const seconds = (row.lockedUntil!.getTime() - Date.now()) / 1000
    expect(seconds).toBeGreaterThan(THROTTLE.firstDelaySeconds * 2 - 5)
    expect(seconds).toBeLessThanOrEqual(THROTTLE.firstDelaySeconds * 2 + 1)
    expect((await signInWithPassword('bob@example.com', PASSWORD, '203.0.113.2')).outcome).toBe('throttled')
  })

  it('30 failures with made-up addresses slow that client only: nobody else is locked out', async () => {
    const attacker = '192.0.2.66'
    const results: SignInResult[] = []
    for (let i = 0; i < 30; i++) results.push(await signInWithPassword(`nobody${i}@example.com`, 'whatever 123', attacker))
    expect(tally(results).wrong).toBe(THROTTLE.client.free)
    expect(tally(results).throttled).toBe(30 - THROTTLE.client.free)
    // The administrator with the right password, from their own address, gets in.
    expect((await signInWithPassword('admin@example.com', PASSWORD, '198.51.100.20')).outcome).toBe('signed-in')
    expect((await signInWithPassword('carol@example.com', PASSWORD, '198.51.100.21')).outcome).toBe('signed-in')
    expect((await audits('auth.lockout')).map((a) => a.entityId)).toContain(`client:${attacker}`)
  })

  it('guessing one account from many addresses slows that account', async () => {
    const results: SignInResult[] = []
    for (let i = 0; i < THROTTLE.account.free + 3; i++) results.push(await signInWithPassword('carol@example.com', 'spray 1234567', `203.0.113.${100 + i}`))
    expect(tally(results).wrong).toBe(THROTTLE.account.free)
    expect((await signInWithPassword('carol@example.com', PASSWORD, '198.51.100.21')).outcome).toBe('throttled')
    expect((await audits('auth.lockout')).map((a) => a.entityId)).toContain('account:carol@example.com')
  })

  it('a right password clears the account: its owner does not inherit their own typos', async () => {
    for (let i = 0; i < THROTTLE.pair.free - 1; i++) expect((await signInWithPassword('dave@example.com', `typo ${i}`, '198.51.100.30')).outcome).toBe('wrong')
    expect((await signInWithPassword('dave@example.com', PASSWORD, '198.51.100.30')).outcome).toBe('signed-in')
    for (let i = 0; i < THROTTLE.pair.free - 1; i++) expect((await signInWithPassword('dave@example.com', `typo ${i}`, '198.51.100.30')).outcome).toBe('wrong')
  })

  it('without a known client address throttles the account alone, not one bucket for everyone', async () => {
    const results: SignInResult[] = []
    for (let i = 0; i < 25; i++) results.push(await signInWithPassword(`ghost${i}@example.com`, 'whatever 123', null))
    expect(tally(results).throttled).toBe(0)
    expect((await signInWithPassword('admin@example.com', PASSWORD, null)).outcome).toBe('signed-in')
  })

  it('audits a sign-in with its session, and a failure with where it came from', async () => {
    const signIns = await audits('auth.sign-in')
    expect(signIns.map((a) => a.entityId)).toContain(String(users.admin.id))
    expect(signIns.find((a) => a.entityId === String(users.admin.id))!.after).toMatchObject({ method: 'password', client: '198.51.100.20' })
    const failed = (await audits('auth.sign-in-failed')).find((a) => a.entityId === 'alice@example.com')!
    expect(failed.actorLabel).toBe('sign-in from 203.0.113.1')
    expect(failed.after).toEqual({ client: '203.0.113.1' })
  })
})

describe('API tokens in the audit trail', () => {
  it('records a token made and revoked in the same transaction as the change', async () => {
    const alice = { user: users.alice, via: 'session' as const }
    const { summary } = await createApiToken(users.alice, 'audited export', 'viewer', null, alice)
    expect((await audits('token.create')).filter((a) => a.entityId === String(summary.id))).toEqual([
      { entityId: String(summary.id), actorLabel: users.alice.email, after: { name: 'audited export', role: 'viewer', user: users.alice.email } },
    ])
    await revokeApiToken(summary.id, alice)
    expect((await audits('token.revoke')).filter((a) => a.entityId === String(summary.id))).toHaveLength(1)
  })

  it('makes no token when its entry cannot be written', async () => {
    // An actor id beyond the column's integer range: the entry fails after the token was inserted.
    const ghost = { user: { ...users.alice, id: 2 ** 40 }, via: 'session' as const }
    await expect(createApiToken(users.alice, 'never stored', 'viewer', null, ghost)).rejects.toThrow()
    expect((await listApiTokens(users.alice.id)).map((t) => t.name)).not.toContain('never stored')
  })
})

describe("an administrator's password reset", () => {
  it("ends the account's sessions and revokes its API tokens, in the audited change", async () => {
    const session = await createSession(users.alice.id)
    const { token } = await createApiToken(users.alice, 'nightly export', 'viewer', null, { user: users.alice, via: 'session' })
    expect(await sessionUser(session.token)).not.toBeNull()
    expect(await tokenUser(token)).not.toBeNull()
    await adminUpdateUser({ user: users.admin, via: 'session' }, users.alice.id, { password: 'a brand new password' })
    expect(await sessionUser(session.token)).toBeNull()
    expect(await tokenUser(token)).toBeNull()
    const audit = (await audits('user.password')).at(-1)!
    expect(audit.entityId).toBe(String(users.alice.id))
    expect(audit.after).toMatchObject({ sessionsEnded: expect.any(Number), tokensRevoked: 1 })
    expect((audit.after as { sessionsEnded: number }).sessionsEnded).toBeGreaterThanOrEqual(1)
    expect((await signInWithPassword('alice@example.com', 'a brand new password', '198.51.100.7')).outcome).toBe('signed-in')
  })
})
