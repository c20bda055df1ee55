import * as client from 'openid-client'
import { z } from 'zod'
import { oidcClient } from './oidc-client'
import type { OidcConfig } from './oidc-config'
import { OidcSignInError, signInFailure, SIGN_IN_FAILURES } from './oidc-error'
import { signInUser } from './oidc-users'
import type { UserSummary } from './users'
import { safeNextPath } from './safe-next'

/**
 * Single sign-on with the authorization code flow: PKCE (S256) binds the code to this
 * browser's sign-in, state protects the callback from forged responses, nonce ties the ID
 * token to this sign-in. What the callback needs to check them travels in a short-lived cookie
 * (lib/auth/oidc-http.ts) between start and callback.
 */
export const pendingSignInSchema = z.object({
  state: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  codeVerifier: z.string().min(43).max(128),
  // Checked again on the way back: the cookie is only as trustworthy as the browser holding it.
  next: z.string().max(2000).transform(safeNextPath),
  redirectUri: z.string().url().max(2000),
})
export type PendingSignIn = z.infer<typeof pendingSignInSchema>

export { safeNextPath }

/** Where the IdP sends the browser back: OIDC_REDIRECT_URL, APP_URL's callback, or this server's. */
export function callbackUrl(config: OidcConfig, requestOrigin: string): string {
  return config.redirectUrl ?? new URL('/api/auth/oidc/callback', requestOrigin).toString()
}

export async function startSignIn(config: OidcConfig, options: { redirectUri: string; next: unknown }): Promise<{ authorizationUrl: URL; pending: PendingSignIn }> {
  const oidc = await oidcClient(config)
  const pending: PendingSignIn = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    next: safeNextPath(options.next),
    redirectUri: options.redirectUri,
  }
  const authorizationUrl = client.buildAuthorizationUrl(oidc, {
    redirect_uri: pending.redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
  })
  return { authorizationUrl, pending }
}

/**
 * The callback: exchanges the code and has openid-client validate the ID token (issuer,
 * audience, nonce, signature against the IdP's JWKS, expiry), then signs in the account it
 * names. Throws OidcSignInError, whose message is fit to show the person.
 */
export async function finishSignIn(config: OidcConfig, pending: PendingSignIn, callbackParams: URLSearchParams): Promise<UserSummary> {
  try {
    const oidc = await oidcClient(config)
    // openid-client derives the token request's redirect_uri from this URL, so it is the one
    // sent to the IdP, not whatever host this request reached us through (a proxy).
    const currentUrl = new URL(pending.redirectUri)
    currentUrl.search = callbackParams.toString()
    const tokens = await client.authorizationCodeGrant(oidc, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    })
    const claims = tokens.claims()
    if (!claims) throw new OidcSignInError(SIGN_IN_FAILURES.noIdToken)
    return await signInUser(config, claims)
  } catch (error) {
    throw signInFailure(error)
  }
}
