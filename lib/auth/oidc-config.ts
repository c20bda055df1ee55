import { z } from 'zod'
import { isRole, type Role } from './roles'

/**
 * Single sign-on with OpenID Connect (e.g. Entra ID), configured by environment. Unset
 * OIDC_ISSUER_URL means local accounts only.
 *
 *   OIDC_ISSUER_URL      https://login.microsoftonline.com/<tenant>/v2.0
 *   OIDC_CLIENT_ID       application (client) id
 *   OIDC_CLIENT_SECRET   client secret
 *   OIDC_REDIRECT_URL    https://triage.example.com/api/auth/oidc/callback (default: APP_URL + that path)
 *   OIDC_LABEL           button text (default "single sign-on")
 *   OIDC_ROLE_CLAIM      claim holding app roles or groups (default "roles")
 *   OIDC_ROLE_MAP        claim value → role, e.g. "Triage.Admin=admin,Triage.Lead=lead,Triage.Analyst=analyst"
 *   OIDC_DEFAULT_ROLE    role of a new SSO user without a mapped claim (default viewer; "none" refuses them)
 */
export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string
  redirectUrl: string | null
  label: string
  roleClaim: string
  roleMap: Map<string, Role>
  defaultRole: Role | null
  /** Only for tests against a local fake identity provider. */
  allowHttp: boolean
}

export function oidcConfig(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  if (!env.OIDC_ISSUER_URL) return null
  const required = z.object({ OIDC_ISSUER_URL: z.string().url(), OIDC_CLIENT_ID: z.string().min(1), OIDC_CLIENT_SECRET: z.string().min(1) }).parse(env)
  const roleMap = new Map<string, Role>()
  for (const pair of (env.OIDC_ROLE_MAP ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [claim, role] = pair.split('=').map((p) => p.trim())
    if (!claim || !isRole(role)) throw new Error(`OIDC_ROLE_MAP: "${pair}" is not <claim value>=<viewer|analyst|lead|admin>`)
    roleMap.set(claim, role)
  }
  const fallback = env.OIDC_DEFAULT_ROLE ?? 'viewer'
  if (fallback !== 'none' && !isRole(fallback)) throw new Error('OIDC_DEFAULT_ROLE must be viewer, analyst, lead, admin or none')
  return {
    issuer: required.OIDC_ISSUER_URL,
    clientId: required.OIDC_CLIENT_ID,
    clientSecret: required.OIDC_CLIENT_SECRET,
    redirectUrl: env.OIDC_REDIRECT_URL ?? (env.APP_URL ? new URL('/api/auth/oidc/callback', env.APP_URL).toString() : null),
    label: env.OIDC_LABEL ?? 'single sign-on',
    roleClaim: env.OIDC_ROLE_CLAIM ?? 'roles',
    roleMap,
    defaultRole: fallback === 'none' ? null : (fallback as Role),
    allowHttp: env.OIDC_ALLOW_HTTP === '1',
  }
}

export function singleSignOnLabel(): string | null {
  return oidcConfig()?.label ?? null
}
