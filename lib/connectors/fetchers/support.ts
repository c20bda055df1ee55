import { entraTokenSource, type TokenSource } from '../entra-token'
import { connectorFetchText, noteRetry, type HttpAnswer, type HttpOptions } from '../http-client'
import type { FetchContext } from '../slice-fetcher'

/** Pieces the three fetchers share: JSON Lines out, Microsoft error bodies in, bearer requests. */

/** Records as JSON Lines, one Buffer per batch so a page costs one chunk downstream. */
export function jsonLines(records: readonly unknown[]): Buffer {
  let text = ''
  for (const record of records) text += `${JSON.stringify(record)}\n`
  return Buffer.from(text)
}

/** Epoch ms or a Date as ISO 8601 UTC; whole seconds without the `.000` Microsoft's examples omit. */
export function isoUtc(time: Date | number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z')
}

/**
 * A OneAPI error (`{"error": {"code", "message", "innererror"|"innerError", "details"}}`) reduced
 * to its code and every message in it: the outer message is often generic ("The request had
 * some invalid properties") and the useful one sits in an inner error or a detail.
 */
export interface ApiError {
  code: string
  messages: string[]
  /** Codes of inner errors and details, outermost first. */
  innerCodes: string[]
}

export function parseApiError(text: string): ApiError | null {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return null
  }
  const error = (body as { error?: unknown } | null)?.error
  if (!error || typeof error !== 'object') return null
  const result: ApiError = { code: '', messages: [], innerCodes: [] }
  const visit = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 5) return
    const { code, message, innererror, innerError, details } = node as Record<string, unknown>
    if (typeof code === 'string') {
      if (depth === 0) result.code = code
      else result.innerCodes.push(code)
    }
    if (typeof message === 'string' && message && !result.messages.includes(message)) result.messages.push(message)
    visit(innererror ?? innerError, depth + 1)
    if (Array.isArray(details)) for (const detail of details) visit(detail, depth + 1)
  }
  visit(error, 0)
  return result
}

/** "code: message; inner message" or the start of a body that is not a OneAPI error. */
export function describeApiError(text: string): string {
  const error = parseApiError(text)
  if (!error) return text.trim().slice(0, 300) || 'no response body'
  return [error.code, error.messages.join('; ')].filter(Boolean).join(': ')
}

export interface EntraApp {
  authorityUrl: string
  tenantId: string
  clientId: string
  scope: string
}

const runTokens = new WeakMap<FetchContext, Map<string, TokenSource>>()

/**
 * The app's token for the slices of one run: a run passes the same context for every slice, so
 * the token is requested once per run (and again only when it runs out), not once per slice.
 */
export function runTokenSource(app: EntraApp, context: FetchContext): TokenSource {
  let sources = runTokens.get(context)
  if (!sources) runTokens.set(context, (sources = new Map()))
  const key = JSON.stringify([app.authorityUrl, app.tenantId, app.clientId, app.scope, context.secret])
  let source = sources.get(key)
  if (!source) sources.set(key, (source = freshTokenSource(app, context)))
  return source
}

/** A token source of its own, for a connection test that must really ask Entra ID. */
export function freshTokenSource(app: EntraApp, context: FetchContext): TokenSource {
  return entraTokenSource({ ...app, clientSecret: context.secret, http: context.http })
}

/**
 * One request with the source's bearer token. A token can expire (or be revoked) between being
 * cached and being used, so a rejection the caller recognises as "token no longer valid" drops
 * the cached token and the request is made once more with a fresh one; a second rejection is
 * returned as it is.
 */
export async function fetchWithToken(url: string, init: RequestInit, tokens: TokenSource, http: HttpOptions, tokenRejected: (response: HttpAnswer) => boolean): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    const headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${await tokens.token()}` }
    const response = await connectorFetchText(url, { ...init, headers }, http)
    if (attempt > 0 || !tokenRejected(response)) return response
    noteRetry(http, 'tokenExpired', url, String(response.status), 0)
    tokens.invalidate()
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
