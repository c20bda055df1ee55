import { ConnectorHttpError, connectorFetchText, type HttpOptions } from './http-client'

/**
 * OAuth 2.0 client credentials against Entra ID (v2 endpoint), cached until shortly before it
 * expires; `invalidate` drops it when an API says it expired early.
 */

/**
 * When a cached token is renewed: once less than a fifth of its lifetime or 5 minutes is left,
 * whichever is less. A fixed margin (the old 60 s) made a 60-second token useless on arrival, so
 * every request fetched a new one; a fraction keeps most of any lifetime usable.
 */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(lifetimeMs / 5, 5 * 60_000)
}

export interface TokenSource {
  token(): Promise<string>
  invalidate(): void
}

export function entraTokenSource(options: { authorityUrl: string; tenantId: string; clientId: string; clientSecret: string; scope: string; http: HttpOptions }): TokenSource {
  let cached: { value: string; expiresAt: number; renewAt: number } | null = null
  return {
    invalidate: () => {
      cached = null
    },
    token: async () => {
      if (cached && Date.now() < cached.renewAt) return cached.value
      const response = await connectorFetchText(
        `${options.authorityUrl}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret, scope: options.scope, grant_type: 'client_credentials' }).toString(),
        },
        options.http,
      )
      const text = response.text
      if (!response.ok) {
        let detail = text.slice(0, 300)
        try {
          const body = JSON.parse(text) as { error?: string; error_description?: string }
          detail = [body.error, body.error_description?.split('\r\n')[0]].filter(Boolean).join(': ')
        } catch {
          // not JSON: keep the text
        }
        throw new ConnectorHttpError(`token request refused (${response.status}): ${explainTokenError(detail)}`, response.status, text)
      }
      const body = JSON.parse(text) as { access_token: string; expires_in: number }
      const lifetimeMs = Number(body.expires_in ?? 3600) * 1000
      const now = Date.now()
      cached = { value: body.access_token, expiresAt: now + lifetimeMs, renewAt: now + lifetimeMs - renewalMarginMs(lifetimeMs) }
      if (options.http.stats) options.http.stats.tokensFetched++
      return cached.value
    },
  }
}

/** Entra's AADSTS codes in words an admin can act on. */
function explainTokenError(detail: string): string {
  if (/AADSTS7000215|invalid_client/i.test(detail)) return `the client secret is wrong or expired (${detail})`
  if (/AADSTS700016/i.test(detail)) return `no application with this client id in the tenant (${detail})`
  if (/AADSTS90002|AADSTS900023/i.test(detail)) return `the tenant was not found (${detail})`
  return detail
}
