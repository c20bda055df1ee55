import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client'

/**
 * A single sign-on that did not happen. The message is shown on the sign-in page, so it is
 * short, human and free of anything an attacker could steer; the reason stays in `cause`
 * for the server log.
 */
export class OidcSignInError extends Error {}

/** Every reason a single sign-on can fail with, in the words the sign-in page shows. */
export const SIGN_IN_FAILURES = {
  notConfigured: 'single sign-on is not configured',
  expired: 'the sign-in expired or was started in another browser: try again',
  cancelled: 'the identity provider did not sign you in (cancelled or not allowed)',
  misconfigured: 'single sign-on is misconfigured: the identity provider refused the client credentials',
  invalidAnswer: "the identity provider's answer did not validate: try again",
  failed: 'single sign-on failed: try again',
  unreachable: 'the identity provider could not be reached: try again later',
  noIdToken: 'the identity provider sent no ID token',
  otherIdentity: 'this e-mail address belongs to another single sign-on identity: ask an administrator',
  disabled: 'your account is disabled',
  noEmail: 'the identity provider sent no verified e-mail address, which a new account needs',
  noRole: 'you have no role in Enumeration Triage: ask an administrator to assign you one',
} as const

const REFUSED = /^the identity provider refused the sign-in( code)? \(([a-z_]{1,40}|unknown error)\)$/

/**
 * The reason to show for `/login?error=…`: only one of the known reasons, never text a link
 * chose (anyone can send a colleague a sign-in link with words of their own in it).
 */
export function knownSignInFailure(text: unknown): string | null {
  if (typeof text !== 'string' || !text) return null
  if ((Object.values(SIGN_IN_FAILURES) as string[]).includes(text) || REFUSED.test(text)) return text
  return SIGN_IN_FAILURES.failed
}

/** Error codes from the identity provider are echoed only when they look like OAuth codes. */
function oauthCode(code: string): string {
  return /^[a-z_]{1,40}$/.test(code) ? code : 'unknown error'
}

/** What to tell the person for any failure of the flow (openid-client's errors included). */
export function signInFailure(error: unknown): OidcSignInError {
  if (error instanceof OidcSignInError) return error
  if (error instanceof AuthorizationResponseError) {
    // access_denied is the person cancelling or the IdP refusing them (e.g. not assigned to the app).
    if (error.error === 'access_denied') return new OidcSignInError(SIGN_IN_FAILURES.cancelled, { cause: error })
    return new OidcSignInError(`the identity provider refused the sign-in (${oauthCode(error.error)})`, { cause: error })
  }
  if (error instanceof ResponseBodyError) {
    if (error.error === 'invalid_client') return new OidcSignInError(SIGN_IN_FAILURES.misconfigured, { cause: error })
    return new OidcSignInError(`the identity provider refused the sign-in code (${oauthCode(error.error)})`, { cause: error })
  }
  if (error instanceof ClientError) {
    // State mismatches and ID token checks (issuer, audience, nonce, signature, expiry) land here.
    return new OidcSignInError(SIGN_IN_FAILURES.invalidAnswer, { cause: error })
  }
  return new OidcSignInError(SIGN_IN_FAILURES.failed, { cause: error })
}
