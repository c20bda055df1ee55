import type { IDToken } from 'openid-client'
import { getPrisma } from '@/lib/db/database'
import { recordAudit } from './audit'
import { displayNameOf, identityOf, mappedRole, verifiedEmail } from './oidc-claims'
import type { OidcConfig } from './oidc-config'
import { OidcSignInError, SIGN_IN_FAILURES } from './oidc-error'
import { toUserSummary, type UserSummary } from './users'

const OIDC = { system: 'oidc' }

function linkedElsewhere(email: string): OidcSignInError {
  return new OidcSignInError(SIGN_IN_FAILURES.otherIdentity)
}

/**
 * The account a validated ID token signs in: the one already linked to the identity; else
 * the one with the token's verified e-mail address, which gets linked; else a new one. A role
 * claim that maps to a role sets the account's role on every sign-in (the IdP decides mapped
 * roles); without one, an existing account keeps its role and a new one gets
 * OIDC_DEFAULT_ROLE, or is refused when that is "none".
 */
export async function signInUser(config: OidcConfig, claims: IDToken): Promise<UserSummary> {
  const identity = identityOf(claims)
  const email = verifiedEmail(claims)
  const role = mappedRole(config, claims)
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    // Two first sign-ins of the same person at once (two tabs) must not race to create or link.
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', identity)
    let user = await tx.user.findUnique({ where: { oidcIdentity: identity } })
    if (!user && email) {
      const sameAddress = await tx.user.findUnique({ where: { email } })
      if (sameAddress) {
        if (sameAddress.oidcIdentity !== null) throw linkedElsewhere(email)
        if (sameAddress.disabled) throw new OidcSignInError(SIGN_IN_FAILURES.disabled)
        // Only while still unlinked: another identity with this address signing in at the same
        // moment must not overwrite a link made in between.
        const linked = await tx.user.updateMany({ where: { id: sameAddress.id, oidcIdentity: null }, data: { oidcIdentity: identity } })
        if (linked.count !== 1) throw linkedElsewhere(email)
        user = { ...sameAddress, oidcIdentity: identity }
        await recordAudit(tx, OIDC, 'user.link', { type: 'user', id: user.id }, { oidcIdentity: null }, { oidcIdentity: identity })
      }
    }
    if (!user) {
      if (!email) throw new OidcSignInError(SIGN_IN_FAILURES.noEmail)
      const newRole = role ?? config.defaultRole
      if (!newRole) throw new OidcSignInError(SIGN_IN_FAILURES.noRole)
      user = await tx.user.create({ data: { email, displayName: displayNameOf(claims, email), role: newRole, oidcIdentity: identity } })
      await recordAudit(tx, OIDC, 'user.create', { type: 'user', id: user.id }, null, { email, role: newRole, oidcIdentity: identity })
    }
    if (user.disabled) throw new OidcSignInError(SIGN_IN_FAILURES.disabled)
    // Roles are read from the account on every request, so the person's other sessions pick
    // the new role up at once; nothing to end.
    if (role && role !== user.role) await recordAudit(tx, OIDC, 'user.update', { type: 'user', id: user.id }, { role: user.role }, { role })
    user = await tx.user.update({ where: { id: user.id }, data: { role: role ?? undefined, lastLoginAt: new Date() } })
    return toUserSummary(user)
  })
}
