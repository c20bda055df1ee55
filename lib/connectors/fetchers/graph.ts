import { parseSettings, type GraphSettings } from '../connector-settings'
import type { TokenSource } from '../entra-token'
import { ConnectorHttpError, type HttpOptions } from '../http-client'
import type { FetchContext, Slice, SliceFetcher } from '../slice-fetcher'
import { describeApiError, errorMessage, fetchWithToken, freshTokenSource, isoUtc, jsonLines, parseApiError, runTokenSource, type EntraApp } from './support'

/**
 * Microsoft Graph beta `auditLogs/signIns` (docs/reference/signin-formats.md §1). Beta, because
 * v1.0 has no `userAgent` and no `signInEventTypes`; without an event-type filter Graph returns
 * interactive sign-ins only, and the non-interactive ones matter too (spray tools show up there).
 * Pages are followed through `@odata.nextLink`, newest first, at most 1,000 per page.
 */

const PAGE_SIZE = 1000
const EVENT_TYPES = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')"

export function signInsUrl(graphUrl: string, slice: Slice, top = PAGE_SIZE): string {
  const filter = `createdDateTime ge ${isoUtc(slice.from)} and createdDateTime lt ${isoUtc(slice.to)} and ${EVENT_TYPES}`
  return `${graphUrl}/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}&$top=${top}`
}

function entraApp(settings: GraphSettings): EntraApp {
  return { authorityUrl: settings.authorityUrl, tenantId: settings.tenantId, clientId: settings.clientId, scope: `${settings.graphUrl}/.default` }
}

/** Graph's refusals in words an admin can act on. */
export function graphFailure(status: number, body: string): string {
  const error = parseApiError(body)
  const detail = describeApiError(body)
  if (error?.code === 'Authentication_RequestFromNonPremiumTenantOrB2CTenant') {
    return `Microsoft Graph refused (403 ${detail}): reading sign-in logs through the API needs a Microsoft Entra ID P1 or P2 licence in the tenant. Without one, download the sign-ins from the Entra admin center (Monitoring → Sign-in logs → Download) and upload the files here; that works in every edition.`
  }
  if (error?.code === 'Authorization_RequestDenied') {
    return `Microsoft Graph refused (403 ${detail}): the app lacks the AuditLog.Read.All application permission. In the app registration add Microsoft Graph → Application permissions → AuditLog.Read.All (older documentation also asks for Directory.Read.All), then grant admin consent.`
  }
  if (status === 401) return `Microsoft Graph rejected a freshly issued token (401 ${detail}): check that the tenant and app are the ones the token was issued for.`
  return `Microsoft Graph answered ${status} (${detail})`
}

interface GraphPage {
  value: unknown[]
  nextLink: string | null
}

async function getPage(url: string, tokens: TokenSource, http: HttpOptions): Promise<GraphPage> {
  const response = await fetchWithToken(url, { method: 'GET', headers: { accept: 'application/json' } }, tokens, http, (r) => r.status === 401)
  const text = response.text
  if (!response.ok) throw new ConnectorHttpError(graphFailure(response.status, text), response.status, text)
  let body: { value?: unknown; '@odata.nextLink'?: unknown }
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    throw new ConnectorHttpError(`Microsoft Graph answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, response.status, text)
  }
  if (!Array.isArray(body.value)) throw new ConnectorHttpError('Microsoft Graph answered without a "value" array of sign-ins', response.status, text.slice(0, 2000))
  const next = body['@odata.nextLink']
  return { value: body.value, nextLink: typeof next === 'string' && next !== '' ? next : null }
}

/**
 * The next page's URL, verbatim. It carries the bearer token's next use, so it must point at the
 * Graph endpoint configured (same scheme, host and port), not merely somewhere reachable.
 */
function checkedNextLink(link: string, graphUrl: string): string {
  let target: URL
  try {
    target = new URL(link)
  } catch {
    throw new ConnectorHttpError(`refused: @odata.nextLink is not a URL (${link.slice(0, 200)})`, null, '')
  }
  const expected = new URL(graphUrl)
  if (target.origin !== expected.origin) {
    throw new ConnectorHttpError(`refused: @odata.nextLink points at ${target.origin}, not at the configured Graph endpoint ${expected.origin}`, null, '')
  }
  return link
}

async function* fetchSlice(slice: Slice, context: FetchContext): AsyncGenerator<Buffer> {
  const settings = parseSettings('graph', context.settings)
  const tokens = runTokenSource(entraApp(settings), context)
  let url: string | null = signInsUrl(settings.graphUrl, slice)
  let pages = 0
  let records = 0
  while (url) {
    const page = await getPage(url, tokens, context.http)
    pages++
    records += page.value.length
    // Graph may hand out an empty page that still has a nextLink: keep following.
    if (page.value.length > 0) yield jsonLines(page.value)
    context.onProgress?.({ pages, records })
    url = page.nextLink === null ? null : checkedNextLink(page.nextLink, settings.graphUrl)
  }
}

async function testConnection(context: FetchContext) {
  try {
    const settings = parseSettings('graph', context.settings)
    const tokens = freshTokenSource(entraApp(settings), context)
    try {
      await tokens.token()
    } catch (error) {
      return { ok: false, message: `no token for app ${settings.clientId} in tenant ${settings.tenantId}: ${errorMessage(error)}` }
    }
    const now = Date.now()
    const page = await getPage(signInsUrl(settings.graphUrl, { from: new Date(now - 86_400_000), to: new Date(now) }, 1), tokens, context.http)
    const seen = page.value.length ? 'at least one sign-in in the last 24 hours' : 'no sign-ins in the last 24 hours'
    return { ok: true, message: `connected: app ${settings.clientId} may read the sign-in logs of tenant ${settings.tenantId} (${seen})` }
  } catch (error) {
    return { ok: false, message: errorMessage(error) }
  }
}

export const graphFetcher: SliceFetcher = { kind: 'graph', fetchSlice, testConnection }
