import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client'

/**
 * A single sign-on that did not happen. The message is shown on the sign-in page, so it is
 * short, human and free of anything an attacker could steer; the reason stays in `cause`
 * for the server log.
 */
export class OidcSignInError extends Error {}

/** Error codes from the identity provider are echoed only when they look like OAuth codes. */
function oauthCode(code: string): string {
  return /^[a-z_]{1,40}$/.test(code) ? code : 'unknown error'
}

/** What to tell the person for any failure of the flow (openid-client's errors included). */
export function signInFailure(error: unknown): OidcSignInError {
  if (error instanceof OidcSignInError) return error
  if (error instanceof AuthorizationResponseError) {
    // access_denied is the person cancelling or the IdP refusing them (e.g. not assigned to the app).
    if (error.error === 'access_denied') return new OidcSignInError('the identity provider did not sign you in (cancelled or not allowed)', { cause: error })
    return new OidcSignInError(`the identity provider refused the sign-in (${oauthCode(error.error)})`, { cause: error })
  }
  if (error instanceof ResponseBodyError) {
    if (error.error === 'invalid_client') return new OidcSignInError('single sign-on is misconfigured: the identity provider refused the client credentials', { cause: error })
    return new OidcSignInError(`the identity provider refused the sign-in code (${oauthCode(error.error)})`, { cause: error })
  }
  if (error instanceof ClientError) {
    // State mismatches and ID token checks (issuer, audience, nonce, signature, expiry) land here.
    return new OidcSignInError("the identity provider's answer did not validate: try again", { cause: error })
  }
  return new OidcSignInError('single sign-on failed: try again', { cause: error })
}
