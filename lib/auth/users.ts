import { z } from 'zod'
import type { Prisma } from '@/lib/generated/prisma/client'
import { getPrisma } from '@/lib/db/database'
import { hashPassword, passwordProblem, verifyDecoy, verifyPassword } from './passwords'
import { normaliseEmail } from './email'
import { ROLES, type Role } from './roles'

export interface UserSummary {
  id: number
  email: string
  displayName: string
  role: Role
  disabled: boolean
  hasPassword: boolean
  singleSignOn: boolean
  createdAt: string
  lastLoginAt: string | null
}

export const newUserSchema = z.object({
  email: z.string().overwrite(normaliseEmail).email().max(254),
  displayName: z.string().trim().min(1).max(120).optional(),
  role: z.enum(ROLES),
  password: z.string().optional(),
})

export class UserError extends Error {}

type UserRecord = { id: number; email: string; displayName: string; role: Role; disabled: boolean; passwordHash: string | null; oidcIdentity: string | null; createdAt: Date; lastLoginAt: Date | null }

export function toUserSummary(u: UserRecord): UserSummary {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    disabled: u.disabled,
    hasPassword: u.passwordHash !== null,
    singleSignOn: u.oidcIdentity !== null,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  }
}

export async function countUsers(): Promise<number> {
  return (await getPrisma()).user.count()
}

export async function createUser(
  input: z.input<typeof newUserSchema>,
  audit?: (tx: Prisma.TransactionClient, user: UserSummary) => Promise<void>,
): Promise<UserSummary> {
  const data = newUserSchema.parse(input)
  if (data.password !== undefined) {
    const problem = passwordProblem(data.password)
    if (problem) throw new UserError(problem)
  }
  const prisma = await getPrisma()
  if (await prisma.user.findUnique({ where: { email: data.email } })) throw new UserError(`a user ${data.email} already exists`)
  // Hashed before the transaction: argon2 takes ~100 ms, which no transaction needs to hold.
  const passwordHash = data.password === undefined ? null : await hashPassword(data.password)
  return prisma.$transaction(async (tx) => {
    const user = toUserSummary(
      await tx.user.create({ data: { email: data.email, displayName: data.displayName ?? data.email.split('@')[0], role: data.role, passwordHash } }),
    )
    await audit?.(tx, user)
    return user
  })
}

/**
 * The user for these credentials, or null — the same answer and time for a wrong password and
 * an unknown e-mail. Checks only: signing in (lib/auth/sign-in.ts) records the login.
 */
export async function authenticate(email: string, password: string): Promise<UserSummary | null> {
  const prisma = await getPrisma()
  const user = await prisma.user.findUnique({ where: { email: normaliseEmail(email) } })
  if (!user?.passwordHash) return verifyDecoy(password).then(() => null)
  if (!(await verifyPassword(user.passwordHash, password)) || user.disabled) return null
  return toUserSummary(user)
}

export async function listUsers(): Promise<UserSummary[]> {
  const prisma = await getPrisma()
  return (await prisma.user.findMany({ orderBy: { email: 'asc' } })).map(toUserSummary)
}

export async function getUser(id: number): Promise<UserSummary | null> {
  const prisma = await getPrisma()
  const user = await prisma.user.findUnique({ where: { id } })
  return user ? toUserSummary(user) : null
}

/** What ending an account's access took: sessions ended and API tokens revoked. */
export interface AccessEnded {
  sessionsEnded: number
  tokensRevoked: number
}

/**
 * Changes an account in one transaction with `audit` (which records the change). Disabling
 * someone or lowering their role ends their sessions now, not at their next sign-in; a new
 * password also revokes their API tokens: an administrator resets a password because it was
 * lost or may be known to someone else, and whoever held the account could have made tokens.
 */
export async function updateUser(
  id: number,
  change: { role?: Role; disabled?: boolean; displayName?: string; password?: string },
  audit?: (tx: Prisma.TransactionClient, after: UserSummary, ended: AccessEnded) => Promise<void>,
): Promise<UserSummary> {
  const prisma = await getPrisma()
  if (change.password !== undefined) {
    const problem = passwordProblem(change.password)
    if (problem) throw new UserError(problem)
  }
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password)
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id },
      data: { role: change.role, disabled: change.disabled, displayName: change.displayName, passwordHash },
    })
    const ended: AccessEnded = { sessionsEnded: 0, tokensRevoked: 0 }
    if (change.disabled || change.role || passwordHash) ended.sessionsEnded = (await tx.session.deleteMany({ where: { userId: id } })).count
    if (passwordHash) ended.tokensRevoked = (await tx.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } })).count
    const after = toUserSummary(user)
    await audit?.(tx, after, ended)
    return after
  })
}
