import type { IDToken } from 'openid-client'
import type { OidcConfig } from './oidc-config'
import { ROLES, type Role } from './roles'

/** Reading what we need from a validated ID token's claims. */

/** "<issuer> <subject>": the only pair OpenID Connect guarantees to be stable and unique. */
export function identityOf(claims: IDToken): string {
  return `${claims.iss} ${claims.sub}`
}

const EMAIL_CLAIMS = ['email', 'preferred_username', 'upn'] as const

/**
 * The person's e-mail address, lower-cased, or null. An IdP that says the address is not
 * verified (email_verified: false; Entra's xms_edov: false) gets none of its address claims
 * trusted, because linking by an address someone could set themselves would hand them
 * another person's account.
 */
export function verifiedEmail(claims: IDToken): string | null {
  if (claims.email_verified === false || claims.xms_edov === false) return null
  for (const name of EMAIL_CLAIMS) {
    const value = claims[name]
    if (typeof value === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.trim()) && value.trim().length <= 254) return value.trim().toLowerCase()
  }
  return null
}

/** The highest role any value of the role claim maps to; null when none maps. */
export function mappedRole(config: OidcConfig, claims: IDToken): Role | null {
  const raw = claims[config.roleClaim]
  const values = Array.isArray(raw) ? raw : [raw]
  let best: Role | null = null
  for (const value of values) {
    const role = typeof value === 'string' ? config.roleMap.get(value) : undefined
    if (role && (best === null || ROLES.indexOf(role) > ROLES.indexOf(best))) best = role
  }
  return best
}

export function displayNameOf(claims: IDToken, email: string): string {
  const name = typeof claims.name === 'string' ? claims.name.trim().slice(0, 120) : ''
  return name || email.split('@')[0]
}
