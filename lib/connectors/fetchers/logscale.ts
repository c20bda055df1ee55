import { parseSettings, type LogScaleSettings } from '../connector-settings'
import { ConnectorHttpError, connectorFetch, noteRetry, type HttpOptions } from '../http-client'
import type { FetchContext, Slice, SliceFetcher } from '../slice-fetcher'
import { errorMessage } from './support'

/**
 * CrowdStrike Falcon LogScale streaming search (docs/reference/signin-formats.md §4.4): one static
 * query per slice, answered as NDJSON, one event per line, passed through as it arrives.
 */

/**
 * Which events are Entra ID sign-ins. LogScale repositories hold everything a parser was given,
 * so a bare `*` would also bring audit logs, Office 365 events and more, some of them with a
 * userPrincipalName, which would then pass for sign-ins. The filter covers the shapes the
 * logscale format reads (§4.3):
 * - the diagnostic-settings record kept whole or with `properties.*` flattened (our reference
 *   repository): `operationName="Sign-in activity"`;
 * - CrowdStrike's microsoft/azuread package, which nests the record under `Vendor.`;
 * - a parser that dropped the envelope but kept the flattened sign-in fields and the code.
 * "Sign-in activity" also matches service-principal and managed-identity sign-ins; the format
 * skips them by category. Every term is parenthesised so the grouping does not depend on how
 * LogScale ranks `and` against `or`.
 */
export const SIGN_IN_QUERY = '(operationName="Sign-in activity") or (Vendor.operationName="Sign-in activity") or (userPrincipalName=* and resultType=*)'

function queryUrl(settings: LogScaleSettings): string {
  return `${settings.baseUrl}/api/v1/repositories/${encodeURIComponent(settings.repository)}/query`
}

/** LogScale's refusals in words an admin can act on. */
export function logscaleFailure(status: number, body: string, settings: LogScaleSettings): string {
  const detail = body.trim().slice(0, 300) || 'no response body'
  if (status === 401) return `LogScale rejected the API token (401 ${detail}): it is wrong, expired or revoked; create a new one and enter it again.`
  if (status === 403) return `LogScale refused (403 ${detail}): the token may not search repository ${settings.repository}; give it the "Read" / query permission on that repository or view.`
  if (status === 404) return `LogScale has no repository or view named ${settings.repository} at ${settings.baseUrl} (404 ${detail}): check the name (case matters) and the base URL.`
  return `LogScale answered ${status} (${detail})`
}

async function startQuery(settings: LogScaleSettings, secret: string, http: HttpOptions, body: { queryString: string; start: number; end: number }): Promise<Response> {
  const response = await connectorFetch(
    queryUrl(settings),
    {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ ...body, isLive: false }),
    },
    http,
  )
  if (!response.ok) {
    const text = await response.text()
    throw new ConnectorHttpError(logscaleFailure(response.status, text, settings), response.status, text)
  }
  if (/^application\/json/i.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel()
    throw new ConnectorHttpError('LogScale answered with one JSON array instead of NDJSON (Accept: application/x-ndjson was not honoured)', response.status, '')
  }
  return response
}

const NEWLINE = 0x0a

/**
 * The body's complete lines as they arrive, a chunk at a time; a line cut by a chunk boundary
 * waits for its end. Counting lines is what progress needs, so nothing is parsed here: the
 * ingest pipeline parses each event once.
 */
async function* completeLines(body: ReadableStream<Uint8Array>, onLines: (count: number) => void): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0)
  for await (const piece of body as unknown as AsyncIterable<Uint8Array>) {
    const chunk: Buffer = rest.length ? Buffer.concat([rest, piece]) : Buffer.from(piece)
    const end = chunk.lastIndexOf(NEWLINE)
    if (end === -1) {
      rest = chunk
      continue
    }
    let lines = 0
    for (let i = chunk.indexOf(NEWLINE); i !== -1 && i <= end; i = chunk.indexOf(NEWLINE, i + 1)) lines++
    rest = chunk.subarray(end + 1)
    onLines(lines)
    yield chunk.subarray(0, end + 1)
  }
  // The last event need not end with a newline.
  if (rest.toString('utf8').trim() !== '') {
    onLines(1)
    yield Buffer.concat([rest, Buffer.from('\n')])
  }
}

/**
 * The slice's events. A stream that breaks off is queried again from the start of the slice
 * (with the same backoff as a 503): the events it had already delivered come again and the
 * import keeps each once (events are unique per dataset and source event id, also within one
 * import), so nothing is lost and nothing is stored twice.
 */
async function* fetchSlice(slice: Slice, context: FetchContext): AsyncGenerator<Buffer> {
  const settings = parseSettings('logscale', context.settings)
  const maxRetries = context.http.maxRetries ?? 6
  const sleep = context.http.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  for (let attempt = 0; ; attempt++) {
    // `end` passed as the slice's end: if LogScale counts it inclusive, an event exactly on the
    // boundary comes twice and the dataset keeps it once (events are unique per source id).
    const response = await startQuery(settings, context.secret, context.http, { queryString: SIGN_IN_QUERY, start: slice.from.getTime(), end: slice.to.getTime() })
    if (!response.body) return
    let records = 0
    try {
      yield* completeLines(response.body, (count) => {
        records += count
        context.onProgress?.({ pages: attempt + 1, records })
      })
      return
    } catch (error) {
      const why = `the LogScale result stream broke off after ${records} events: ${errorMessage(error)}`
      if (context.http.signal?.aborted || attempt >= maxRetries) throw new ConnectorHttpError(why, null, '')
      const wait = Math.min(60_000, 1000 * 2 ** attempt)
      noteRetry(context.http, 'cutBody', queryUrl(settings), why, wait)
      await sleep(wait)
    }
  }
}

async function testConnection(context: FetchContext) {
  try {
    const settings = parseSettings('logscale', context.settings)
    const end = Date.now()
    const response = await startQuery(settings, context.secret, context.http, { queryString: `${SIGN_IN_QUERY} | head(1)`, start: end - 60_000, end })
    await response.body?.cancel()
    return { ok: true, message: `connected: the token may search repository ${settings.repository} at ${settings.baseUrl}` }
  } catch (error) {
    return { ok: false, message: errorMessage(error) }
  }
}

export const logscaleFetcher: SliceFetcher = { kind: 'logscale', fetchSlice, testConnection }
