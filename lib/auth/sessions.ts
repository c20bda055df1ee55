import { randomUUID } from 'node:crypto'
import type { Prisma } from '@/lib/generated/prisma/client'
import { getPool, getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import type { Role } from './roles'
import { newSecret, secretHash } from './tokens'
import { toUserSummary, type UserSummary } from './users'

/**
 * Server-side sessions: the cookie carries a random token, the database its hash, so a stolen
 * database copy holds no usable session. Idle sessions end after IDLE_HOURS; every session
 * after MAX_DAYS.
 */
export const SESSION_COOKIE = 'et_session'
const IDLE_HOURS = 12
const MAX_DAYS = 7

/** A new session; pass `db` to create it inside the transaction that records the sign-in. */
export async function createSession(userId: number, db?: Pick<Prisma.TransactionClient, 'session'>): Promise<{ token: string; expiresAt: Date }> {
  const prisma = db ?? (await getPrisma())
  const token = newSecret('')
  const expiresAt = new Date(Date.now() + IDLE_HOURS * 3_600_000)
  await prisma.session.create({ data: { id: randomUUID(), tokenHash: secretHash(token), userId, expiresAt } })
  return { token, expiresAt }
}

interface SessionRow {
  id: string
  created_at: Date
  expires_at: Date
  last_seen_at: Date
  user_id: number
  email: string
  display_name: string
  role: Role
  disabled: boolean
  password_hash: string | null
  oidc_identity: string | null
  user_created_at: Date
  last_login_at: Date | null
}

/**
 * The signed-in user for a session token, sliding the idle expiry; null when unknown or expired.
 * Every page and API request of a browser pays this, so it is one SQL statement on the pool
 * (lib/auth/sql/session-user.sql), not Prisma's two queries (session, then user) with their query
 * compilation: at 20 concurrent clients that was a third of the CPU time of `/api/auth/me`.
 */
export async function sessionUser(token: string): Promise<UserSummary | null> {
  const pool = await getPool()
  const session = (await pool.query<SessionRow>(sqlFile('auth/sql/session-user.sql'), [secretHash(token)])).rows[0]
  if (!session) return null
  const now = Date.now()
  if (session.expires_at.getTime() <= now || session.created_at.getTime() + MAX_DAYS * 86_400_000 <= now || session.disabled) {
    await (await getPrisma()).session.delete({ where: { id: session.id } }).catch(() => {})
    return null
  }
  // Refresh at most once a minute: reads stay reads (and the rare write may go through Prisma).
  if (now - session.last_seen_at.getTime() > 60_000) {
    await (await getPrisma()).session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now), expiresAt: new Date(now + IDLE_HOURS * 3_600_000) } })
  }
  return toUserSummary({
    id: session.user_id,
    email: session.email,
    displayName: session.display_name,
    role: session.role,
    disabled: session.disabled,
    passwordHash: session.password_hash,
    oidcIdentity: session.oidc_identity,
    createdAt: session.user_created_at,
    lastLoginAt: session.last_login_at,
  })
}

export async function deleteSession(token: string): Promise<void> {
  const prisma = await getPrisma()
  await prisma.session.deleteMany({ where: { tokenHash: secretHash(token) } })
}

/** Ends every session of an account (its password changed, it was disabled or demoted). */
export async function endUserSessions(userId: number, db?: Pick<Prisma.TransactionClient, 'session'>): Promise<number> {
  const prisma = db ?? (await getPrisma())
  return (await prisma.session.deleteMany({ where: { userId } })).count
}
