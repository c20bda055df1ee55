import { describe, expect, it } from 'vitest'
import { createSession, sessionUser } from '@/lib/auth/sessions'
import { createUser } from '@/lib/auth/users'
import { getPool } from '@/lib/db/database'
import { useTestDatabase } from '../helpers/test-database'

// The session check every page and API request pays (one SQL statement, lib/auth/sql/session-user.sql):
// the same answers as before it left Prisma — the user's summary, nothing for an unknown, expired,
// too old or disabled session, and the idle expiry slid at most once a minute.
useTestDatabase()

async function row(token: string): Promise<{ expires_at: Date; last_seen_at: Date } | undefined> {
  const pool = await getPool()
  const { createHash } = await import('node:crypto')
  return (await pool.query('SELECT expires_at, last_seen_at FROM sessions WHERE token_hash = $1', [createHash('sha256').update(token).digest('hex')])).rows[0]
}

async function age(token: string, set: string): Promise<void> {
  const { createHash } = await import('node:crypto')
  await (await getPool()).query(`UPDATE sessions SET ${set} WHERE token_hash = $1`, [createHash('sha256').update(token).digest('hex')])
}

describe('sessionUser', () => {
  it("answers the session's user as its summary", async () => {
    const user = await createUser({ email: 'Session.Owner@example.com', role: 'analyst', password: 'a long enough password 1' })
    const { token } = await createSession(user.id)
    expect(await sessionUser(token)).toEqual(user)
  })

  it('answers nothing for an unknown token', async () => {
    expect(await sessionUser('not-a-session')).toBeNull()
  })

  it('ends an idle-expired session, one older than its maximum, and one of a disabled account', async () => {
    const user = await createUser({ email: 'expiring@example.com', role: 'viewer', password: undefined })
    const idle = await createSession(user.id)
    await age(idle.token, "expires_at = now() - interval '1 second'")
    expect(await sessionUser(idle.token)).toBeNull()
    expect(await row(idle.token)).toBeUndefined()

    const old = await createSession(user.id)
    await age(old.token, "created_at = now() - interval '8 days'")
    expect(await sessionUser(old.token)).toBeNull()
    expect(await row(old.token)).toBeUndefined()

    const disabled = await createUser({ email: 'disabled@example.com', role: 'viewer', password: undefined })
    const session = await createSession(disabled.id)
    await (await getPool()).query('UPDATE users SET disabled = true WHERE id = $1', [disabled.id])
    expect(await sessionUser(session.token)).toBeNull()
  })

  it('slides the idle expiry once the session was last seen more than a minute ago, and only then', async () => {
    const user = await createUser({ email: 'sliding@example.com', role: 'viewer', password: undefined })
    const { token } = await createSession(user.id)
    await age(token, "last_seen_at = now() - interval '30 seconds', expires_at = now() + interval '1 hour'")
    await sessionUser(token)
    expect((await row(token))!.expires_at.getTime()).toBeLessThan(Date.now() + 2 * 3_600_000)

    await age(token, "last_seen_at = now() - interval '2 minutes', expires_at = now() + interval '1 hour'")
    expect(await sessionUser(token)).not.toBeNull()
    const slid = (await row(token))!
    expect(slid.expires_at.getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000)
    expect(Date.now() - slid.last_seen_at.getTime()).toBeLessThan(60_000)
  })
})
