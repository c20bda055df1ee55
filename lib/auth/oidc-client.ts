import * as client from 'openid-client'
import type { OidcConfig } from './oidc-config'
import { OidcSignInError, SIGN_IN_FAILURES } from './oidc-error'

/**
 * The identity provider's metadata, discovered once per process and configuration: every
 * sign-in would otherwise pay a round trip to the IdP first. openid-client re-fetches the
 * JWKS by itself when a token names a key it has not seen (key rotation).
 *
 * By default openid-client trusts the TLS connection to the token endpoint for an ID token's
 * origin (OIDC Core 3.1.3.7 allows it) and skips its signature; the non-repudiation checks
 * verify it against the IdP's JWKS as well, so a token that was not signed by the IdP is
 * refused whatever the channel.
 */
const discovered = new Map<string, Promise<client.Configuration>>()

function cacheKey(config: OidcConfig): string {
  return JSON.stringify([config.issuer, config.clientId, config.clientSecret, config.allowHttp])
}

export function oidcClient(config: OidcConfig): Promise<client.Configuration> {
  const key = cacheKey(config)
  let found = discovered.get(key)
  if (!found) {
    found = client
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
        execute: config.allowHttp ? [client.enableNonRepudiationChecks, client.allowInsecureRequests] : [client.enableNonRepudiationChecks],
        timeout: 10,
      })
      .catch((error: unknown) => {
        // A failed discovery (IdP down, wrong URL) must not stick: the next sign-in tries again.
        discovered.delete(key)
        throw new OidcSignInError(SIGN_IN_FAILURES.unreachable, { cause: error })
      })
    discovered.set(key, found)
  }
  return found
}
