import { ConnectorHttpError, connectorFetch, type HttpOptions } from './http-client'

/**
 * OAuth 2.0 client credentials against Entra ID (v2 endpoint), cached until shortly before it
 * expires; `invalidate` drops it when an API says it expired early.
 */
export interface TokenSource {
  token(): Promise<string>
  invalidate(): void
}

export function entraTokenSource(options: { authorityUrl: string; tenantId: string; clientId: string; clientSecret: string; scope: string; http: HttpOptions }): TokenSource {
  let cached: { value: string; expiresAt: number } | null = null
  return {
    invalidate: () => {
      cached = null
    },
    token: async () => {
      if (cached && cached.expiresAt > Date.now() + 60_000) return cached.value
      const response = await connectorFetch(
        `${options.authorityUrl}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret, scope: options.scope, grant_type: 'client_credentials' }).toString(),
        },
        options.http,
      )
      const text = await response.text()
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
      cached = { value: body.access_token, expiresAt: Date.now() + Number(body.expires_in ?? 3600) * 1000 }
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
