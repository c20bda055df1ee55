import { parseSettings, type LogAnalyticsSettings } from '../connector-settings'
import type { TokenSource } from '../entra-token'
import { ConnectorHttpError, type HttpAnswer, type HttpOptions } from '../http-client'
import type { FetchContext, Slice, SliceFetcher } from '../slice-fetcher'
import { isTruncation, partialError, signInQuery, timespan, zipRows, type QueryResponse } from './log-analytics-query'
import { describeApiError, errorMessage, fetchWithToken, freshTokenSource, isoUtc, jsonLines, parseApiError, runTokenSource, type EntraApp } from './support'

/**
 * Azure Log Analytics query API over SigninLogs + AADNonInteractiveUserSignInLogs
 * (docs/reference/signin-formats.md §3.5), one query per slice. A result the service truncated
 * (PartialError: too many rows or bytes) is never passed on: the window is halved and both
 * halves are queried, down to MIN_WINDOW_MS.
 */

/**
 * The documented scope of the Log Analytics API. It is not derived from apiUrl: the public API
 * answers at api.loganalytics.azure.com and api.loganalytics.io alike, but tokens for it are
 * issued for https://api.loganalytics.io. (A sovereign cloud needs its own scope, which would
 * have to become a setting.)
 */
export const LOG_ANALYTICS_SCOPE = 'https://api.loganalytics.io/.default'

/** A truncated result is split until windows are this short; a truncated window this short fails. */
export const MIN_WINDOW_MS = 1000

/** Rows per chunk handed downstream, so a large result is not turned into one huge string. */
const ROWS_PER_CHUNK = 5000

function entraApp(settings: LogAnalyticsSettings): EntraApp {
  return { authorityUrl: settings.authorityUrl, tenantId: settings.tenantId, clientId: settings.clientId, scope: LOG_ANALYTICS_SCOPE }
}

/** An expired or revoked token: the API answers 401, or 403 InvalidTokenError (observed; not in the error list). */
function tokenRejected(response: HttpAnswer): boolean {
  if (response.status === 401) return true
  if (response.status !== 403) return false
  const code = parseApiError(response.text)?.code
  return code === 'InvalidTokenError' || code === 'InvalidAuthenticationToken'
}

/** The API's refusals in words an admin can act on. */
export function logAnalyticsFailure(status: number, body: string, settings: LogAnalyticsSettings): string {
  const error = parseApiError(body)
  const detail = describeApiError(body)
  switch (error?.code) {
    case 'InsufficientAccessError':
      return `Log Analytics refused (${status} ${detail}): the app may not read workspace ${settings.workspaceId}. Give it the Log Analytics Reader (or Reader) role on the workspace under Access control (IAM); role changes can take up to an hour to apply.`
    case 'InvalidAuthenticationTokenAudience':
    case 'InvalidTokenError':
      return `Log Analytics rejected the token (${status} ${detail}): it was issued for ${LOG_ANALYTICS_SCOPE}, which ${settings.apiUrl} does not accept. The API URL must be the Log Analytics query API of the same cloud (https://api.loganalytics.azure.com).`
    case 'PathNotFoundError':
    case 'WorkspaceNotFoundError':
      return `Log Analytics found no workspace ${settings.workspaceId} at ${settings.apiUrl} (${status} ${detail}): use the Workspace ID from the workspace's Overview page (a GUID, not the resource ID).`
  }
  if (status === 400 && /resolve table|SigninLogs/i.test(detail)) {
    return `Log Analytics rejected the query (${detail}): the workspace has no sign-in tables. Send the logs there: Microsoft Entra ID → Diagnostic settings → SignInLogs and NonInteractiveUserSignInLogs.`
  }
  return `Log Analytics answered ${status} (${detail})`
}

/** Server-side timeout just under ours, so a slow query ends as the API's 504, not as our abort. */
function preferWait(http: HttpOptions): string {
  const seconds = Math.floor((http.timeoutMs ?? 120_000) / 1000) - 10
  return `wait=${Math.min(600, Math.max(10, seconds))}`
}

async function runQuery(settings: LogAnalyticsSettings, tokens: TokenSource, http: HttpOptions, body: { query: string; timespan: string }): Promise<QueryResponse> {
  const url = `${settings.apiUrl}/v1/workspaces/${encodeURIComponent(settings.workspaceId)}/query`
  const init = { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', prefer: preferWait(http) }, body: JSON.stringify(body) }
  const response = await fetchWithToken(url, init, tokens, http, tokenRejected)
  // 204: the workspace holds no data at all.
  if (response.status === 204) return { tables: [] }
  const text = response.text
  if (!response.ok) throw new ConnectorHttpError(logAnalyticsFailure(response.status, text, settings), response.status, text)
  // The API's answer to a request it could not read (no body or no Content-Type) is an empty 200.
  if (text.trim() === '') throw new ConnectorHttpError('Log Analytics answered 200 with an empty body (it does so when it cannot read the request)', response.status, '')
  try {
    return JSON.parse(text) as QueryResponse
  } catch {
    throw new ConnectorHttpError(`Log Analytics answered with a body that is not JSON: ${text.slice(0, 200)}`, response.status, text.slice(0, 2000))
  }
}

async function* fetchSlice(slice: Slice, context: FetchContext): AsyncGenerator<Buffer> {
  const settings = parseSettings('log_analytics', context.settings)
  const tokens = runTokenSource(entraApp(settings), context)
  const progress = { pages: 0, records: 0 }

  async function* window(from: number, to: number): AsyncGenerator<Buffer> {
    const response = await runQuery(settings, tokens, context.http, { query: signInQuery(from, to), timespan: timespan(from, to) })
    const partial = partialError(response)
    if (partial) {
      const what = `${isoUtc(from)} – ${isoUtc(to)}`
      const why = [partial.code, ...partial.messages].join(': ')
      if (!isTruncation(partial)) throw new ConnectorHttpError(`Log Analytics returned an incomplete result for ${what} (${why}); nothing of it was kept`, 200, '')
      if (to - from < 2 * MIN_WINDOW_MS) {
        throw new ConnectorHttpError(`Log Analytics truncates the sign-ins of ${what} even in a window of ${to - from} ms (${why}); nothing of it was kept`, 200, '')
      }
      // Rows of the truncated answer are dropped: both halves bring them again, complete.
      const middle = from + Math.floor((to - from) / 2)
      yield* window(from, middle)
      yield* window(middle, to)
      return
    }
    const rows = zipRows(response)
    progress.pages++
    progress.records += rows.length
    for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) yield jsonLines(rows.slice(i, i + ROWS_PER_CHUNK))
    context.onProgress?.({ ...progress })
  }

  yield* window(slice.from.getTime(), slice.to.getTime())
}

async function testConnection(context: FetchContext) {
  try {
    const settings = parseSettings('log_analytics', context.settings)
    const tokens = freshTokenSource(entraApp(settings), context)
    try {
      await tokens.token()
    } catch (error) {
      return { ok: false, message: `no token for app ${settings.clientId} in tenant ${settings.tenantId}: ${errorMessage(error)}` }
    }
    const response = await runQuery(settings, tokens, context.http, { query: 'SigninLogs | take 1', timespan: 'P1D' })
    const found = zipRows(response).length ? 'SigninLogs has sign-ins from the last day' : 'no sign-ins in SigninLogs from the last day'
    return { ok: true, message: `connected: app ${settings.clientId} may query workspace ${settings.workspaceId} (${found})` }
  } catch (error) {
    return { ok: false, message: errorMessage(error) }
  }
}

export const logAnalyticsFetcher: SliceFetcher = { kind: 'log_analytics', fetchSlice, testConnection }
