import { z } from 'zod'
import { getPrisma } from '@/lib/db/database'
import { hashPassword, passwordProblem, verifyDecoy, verifyPassword } from './passwords'
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
  email: z.string().trim().toLowerCase().email().max(254),
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

export async function createUser(input: z.input<typeof newUserSchema>): Promise<UserSummary> {
  const data = newUserSchema.parse(input)
  if (data.password !== undefined) {
    const problem = passwordProblem(data.password)
    if (problem) throw new UserError(problem)
  }
  const prisma = await getPrisma()
  if (await prisma.user.findUnique({ where: { email: data.email } })) throw new UserError(`a user ${data.email} already exists`)
  const user = await prisma.user.create({
    data: {
      email: data.email,
      displayName: data.displayName ?? data.email.split('@')[0],
      role: data.role,
      passwordHash: data.password === undefined ? null : await hashPassword(data.password),
    },
  })
  return toUserSummary(user)
}

/** The user for these credentials, or null — the same answer and time for a wrong password and an unknown e-mail. */
export async function authenticate(email: string, password: string): Promise<UserSummary | null> {
  const prisma = await getPrisma()
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } })
  if (!user?.passwordHash) return verifyDecoy(password).then(() => null)
  if (!(await verifyPassword(user.passwordHash, password)) || user.disabled) return null
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } })
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

export async function updateUser(id: number, change: { role?: Role; disabled?: boolean; displayName?: string; password?: string }): Promise<UserSummary> {
  const prisma = await getPrisma()
  if (change.password !== undefined) {
    const problem = passwordProblem(change.password)
    if (problem) throw new UserError(problem)
  }
  const user = await prisma.user.update({
    where: { id },
    data: {
      role: change.role,
      disabled: change.disabled,
      displayName: change.displayName,
      passwordHash: change.password === undefined ? undefined : await hashPassword(change.password),
    },
  })
  // Disabling someone or lowering their role takes effect now, not at their next sign-in.
  if (change.disabled || change.role) await prisma.session.deleteMany({ where: { userId: id } })
  return toUserSummary(user)
}
