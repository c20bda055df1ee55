import { getPrisma } from '@/lib/db/database'
import { normaliseEmail } from './email'
import { consumeSetupCode } from './setup-code'
import { hashPassword, passwordProblem } from './passwords'
import { toUserSummary, UserError, type UserSummary } from './users'

export class SetupCodeError extends UserError {}

const SETUP_LOCK = 0x45545355 // 'ETSU'

/**
 * First-run setup: creates the first administrator, only while there is no user at all and
 * only with the one-time code the server printed (lib/auth/setup-code.ts). Serialised with an
 * advisory lock so two browsers racing through setup cannot both win.
 */
export async function createFirstAdmin(email: string, displayName: string, password: string, setupCode: string): Promise<UserSummary> {
  const problem = passwordProblem(password)
  if (problem) throw new UserError(problem)
  const normalised = normaliseEmail(email)
  if (!/^[^@\s]+@[^@\s]+$/.test(normalised)) throw new UserError('enter an e-mail address')
  const passwordHash = await hashPassword(password)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', SETUP_LOCK)
    if ((await tx.user.count()) > 0) throw new UserError('setup is already done: sign in instead')
    if (!(await consumeSetupCode(tx, setupCode))) throw new SetupCodeError('wrong setup code: use the one printed in the server console at its last start')
    const user = await tx.user.create({ data: { email: normalised, displayName: displayName.trim() || normalised.split('@')[0], role: 'admin', passwordHash, lastLoginAt: new Date() } })
    await tx.auditEvent.create({ data: { actorId: user.id, actorLabel: user.email, action: 'user.setup', entityType: 'user', entityId: String(user.id), after: { email: user.email, role: 'admin' } } })
    return toUserSummary(user)
  })
}
