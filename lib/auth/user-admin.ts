import { z } from 'zod'
import { RequestError } from '@/lib/errors'
import type { Actor } from './actor'
import { recordAudit } from './audit'
import { ROLES } from './roles'
import { createUser, getUser, updateUser, UserError, type UserSummary } from './users'

/** What administrators do to accounts, each change audited. */

export const userChangeSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    displayName: z.string().trim().min(1).max(120).optional(),
    password: z.string().optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'nothing to change' })

export async function adminCreateUser(actor: Actor, input: { email: string; displayName?: string; role: string; password?: string }): Promise<UserSummary> {
  try {
    return await createUser(input as Parameters<typeof createUser>[0], (tx, user) =>
      recordAudit(tx, actor, 'user.create', { type: 'user', id: user.id }, null, { email: user.email, role: user.role }),
    )
  } catch (error) {
    if (error instanceof UserError) throw new RequestError(error.message.includes('already exists') ? 409 : 400, error.message)
    throw error
  }
}

export async function adminUpdateUser(actor: Actor, id: number, input: z.input<typeof userChangeSchema>): Promise<UserSummary> {
  const change = userChangeSchema.parse(input)
  const before = await getUser(id)
  if (!before) throw new RequestError(404, `no user ${id}`)
  // An administrator cannot lock themselves out; the last admin stays an admin.
  if (id === actor.user.id && (change.disabled || (change.role && change.role !== 'admin'))) {
    throw new RequestError(409, 'you cannot disable yourself or give up your own admin role')
  }
  try {
    const fields = (u: UserSummary) => ({ role: u.role, disabled: u.disabled, displayName: u.displayName })
    return await updateUser(id, change, (tx, after, ended) =>
      recordAudit(tx, actor, change.password ? 'user.password' : 'user.update', { type: 'user', id }, fields(before), { ...fields(after), ...ended }),
    )
  } catch (error) {
    if (error instanceof UserError) throw new RequestError(400, error.message)
    throw error
  }
}
