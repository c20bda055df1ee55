import { randomUUID } from 'node:crypto'
import type { Prisma } from '@/lib/generated/prisma/client'
import { getPrisma } from '@/lib/db/database'
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

/** The signed-in user for a session token, sliding the idle expiry; null when unknown or expired. */
export async function sessionUser(token: string): Promise<UserSummary | null> {
  const prisma = await getPrisma()
  const session = await prisma.session.findUnique({ where: { tokenHash: secretHash(token) }, include: { user: true } })
  if (!session) return null
  const now = Date.now()
  if (session.expiresAt.getTime() <= now || session.createdAt.getTime() + MAX_DAYS * 86_400_000 <= now || session.user.disabled) {
    await prisma.session.delete({ where: { id: session.id } }).catch(() => {})
    return null
  }
  // Refresh at most once a minute: reads stay reads.
  if (now - session.lastSeenAt.getTime() > 60_000) {
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now), expiresAt: new Date(now + IDLE_HOURS * 3_600_000) } })
  }
  return toUserSummary(session.user)
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
