import { getPrisma } from '@/lib/db/database'
import { hashPassword, passwordProblem } from './passwords'
import { toUserSummary, UserError, type UserSummary } from './users'

const SETUP_LOCK = 0x45545355 // 'ETSU'

/**
 * First-run setup: creates the first administrator, only while there is no user at all.
 * Serialised with an advisory lock so two browsers racing through setup cannot both win.
 */
export async function createFirstAdmin(email: string, displayName: string, password: string): Promise<UserSummary> {
  const problem = passwordProblem(password)
  if (problem) throw new UserError(problem)
  const normalised = email.trim().toLowerCase()
  if (!/^[^@\s]+@[^@\s]+$/.test(normalised)) throw new UserError('enter an e-mail address')
  const passwordHash = await hashPassword(password)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', SETUP_LOCK)
    if ((await tx.user.count()) > 0) throw new UserError('setup is already done: sign in instead')
    const user = await tx.user.create({ data: { email: normalised, displayName: displayName.trim() || normalised.split('@')[0], role: 'admin', passwordHash, lastLoginAt: new Date() } })
    await tx.auditEvent.create({ data: { actorId: user.id, actorLabel: user.email, action: 'user.setup', entityType: 'user', entityId: String(user.id), after: { email: user.email, role: 'admin' } } })
    return toUserSummary(user)
  })
}
