import { getPrisma } from '@/lib/db/database'
import type { Actor } from './actor'
import { recordAudit } from './audit'
import { atLeast, type Role } from './roles'
import { newSecret, secretHash } from './tokens'
import { toUserSummary, type UserSummary } from './users'

/** Tokens for scripts: `Authorization: Bearer et_…`. Shown once, stored as a hash, revocable. */
export const TOKEN_PREFIX = 'et_'

export interface ApiTokenSummary {
  id: number
  name: string
  prefix: string
  role: Role
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export class TokenError extends Error {}

type TokenRecord = { id: number; name: string; prefix: string; role: Role; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null }

function toSummary(t: TokenRecord): ApiTokenSummary {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }
}

/** A new token of `owner`, with its audit entry (by `actor`) in the same transaction. */
export async function createApiToken(
  owner: UserSummary,
  name: string,
  role: Role,
  expiresAt: Date | null,
  actor: Actor | { system: string },
): Promise<{ token: string; summary: ApiTokenSummary }> {
  if (!atLeast(owner.role, role)) throw new TokenError(`an account with the ${owner.role} role cannot create a token with the ${role} role`)
  const trimmed = name.trim()
  if (!trimmed || trimmed.length > 100) throw new TokenError('a token needs a name of 1 to 100 characters')
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new TokenError('the expiry must be in the future')
  const token = newSecret(TOKEN_PREFIX)
  const prisma = await getPrisma()
  const summary = await prisma.$transaction(async (tx) => {
    const created = toSummary(
      await tx.apiToken.create({ data: { userId: owner.id, name: trimmed, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: secretHash(token), role, expiresAt } }),
    )
    await recordAudit(tx, actor, 'token.create', { type: 'api_token', id: created.id }, null, { name: created.name, role: created.role, user: owner.email })
    return created
  })
  return { token, summary }
}

/** The user a token acts as, with the token's role capped at the owner's current role. */
export async function tokenUser(token: string): Promise<{ user: UserSummary; tokenName: string } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const prisma = await getPrisma()
  const record = await prisma.apiToken.findUnique({ where: { tokenHash: secretHash(token) }, include: { user: true } })
  if (!record || record.revokedAt || record.user.disabled || (record.expiresAt && record.expiresAt.getTime() <= Date.now())) return null
  if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } })
  }
  const owner = toUserSummary(record.user)
  const role = atLeast(owner.role, record.role) ? record.role : owner.role
  return { user: { ...owner, role }, tokenName: record.name }
}

export async function listApiTokens(userId: number): Promise<ApiTokenSummary[]> {
  const prisma = await getPrisma()
  return (await prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } })).map(toSummary)
}

/** Revokes one of the actor's own tokens (admins may revoke anyone's), audited in the same transaction. */
export async function revokeApiToken(id: number, actor: Actor): Promise<ApiTokenSummary | null> {
  const prisma = await getPrisma()
  const record = await prisma.apiToken.findUnique({ where: { id } })
  if (!record || (record.userId !== actor.user.id && actor.user.role !== 'admin')) return null
  return prisma.$transaction(async (tx) => {
    const revoked = toSummary(await tx.apiToken.update({ where: { id }, data: { revokedAt: record.revokedAt ?? new Date() } }))
    await recordAudit(tx, actor, 'token.revoke', { type: 'api_token', id }, null, { name: revoked.name })
    return revoked
  })
}
