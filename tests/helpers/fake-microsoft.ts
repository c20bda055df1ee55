import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { formatSamplesDir } from './paths'

/**
 * Entra ID's token endpoint, Microsoft Graph beta `auditLogs/signIns` and the Log Analytics query
 * API on one 127.0.0.1 port, behaving as docs/reference/signin-formats.md §1 and §3.5 describe:
 *
 * - token: client credentials only; a wrong tenant, app, secret or scope gets Entra's AADSTS
 *   error. Tokens are opaque and expire on the fake's own clock (advanceClock), so a test can let
 *   a token run out between two pages without waiting.
 * - Graph: the two dates of the `$filter` select the sign-ins, `signInEventTypes/any(...)`
 *   selects their kinds (interactive only without it, as Graph does), newest first, pages of
 *   `$top` (capped by pageSize) with opaque `$skiptoken` nextLinks.
 * - Log Analytics: the `timespan` ("start/end" or a duration) selects rows by TimeGenerated, the
 *   tables named in the query select them by Type; columns/rows with dynamic values as JSON text,
 *   204 for a workspace without data, a PartialError beyond maxRows.
 *
 * Faults are injected per request number (1-based, counted per API — token, graph,
 * log_analytics — every request counted, retries too): 429 with Retry-After, one 500, 503, a
 * body cut off mid-way (the headers promise the whole body, half of it comes, the connection
 * closes), a connection reset before any answer, and every token issued so far expiring just
 * before the request is answered.
 */

export interface FakeApp {
  tenantId: string
  clientId: string
  clientSecret: string
}

export interface Faults {
  /** Request numbers answered 429 with this Retry-After. */
  throttle?: { requests: number[]; retryAfterSeconds: number }
  /** This request number is answered 500. */
  fail?: { request: number }
  /** Request numbers answered 503 (no Retry-After). */
  unavailable?: number[]
  /** Request numbers whose answer is cut off half-way through its body. */
  cutBody?: number[]
  /** Request numbers whose connection is reset before any answer. */
  reset?: number[]
  /** Before these request numbers are answered, every token issued so far expires. */
  expireTokens?: number[]
}

export interface GraphBehaviour extends Faults {
  signIns: Record<string, unknown>[]
  /** Most sign-ins per page whatever $top asks (Graph's own cap is 1,000). */
  pageSize?: number
  /** false: a tenant without Entra ID P1/P2. */
  premium?: boolean
  /** false: the app lacks AuditLog.Read.All. */
  permitted?: boolean
  /** Where nextLinks point (default: this server). */
  nextLinkOrigin?: string
}

export interface LogAnalyticsBehaviour extends Faults {
  workspaceId: string
  rows: Record<string, unknown>[]
  /** Results longer than this come back truncated with a PartialError. */
  maxRows?: number
  /** false: the app has no role on the workspace. */
  permitted?: boolean
}

export interface LoggedRequest {
  api: 'token' | 'graph' | 'log_analytics' | 'other'
  method: string
  /** The request target as sent (path and query, encoding untouched). */
  target: string
  status: number
  body: string
  /** The answer was cut off half-way. */
  cut?: boolean
}

export interface FakeMicrosoft {
  /** Authority, Graph and Log Analytics API URL at once. */
  url: string
  graphScope: string
  /** Lifetime of the tokens issued from now on, on the fake's clock. */
  tokenLifetimeSeconds: number
  graph: GraphBehaviour
  logAnalytics: LogAnalyticsBehaviour
  /** Faults of the token endpoint (cutBody, reset, unavailable, throttle). */
  tokenFaults: Faults
  requests: LoggedRequest[]
  tokensIssued(): number
  advanceClock(ms: number): void
  stop(): Promise<void>
}

export const LOG_ANALYTICS_SCOPE = 'https://api.loganalytics.io/.default'

interface Token {
  scope: string
  expiresAt: number
}

interface Cursor {
  items: Record<string, unknown>[]
  offset: number
  filter: string
  top: number
}

/** Answers to be cut off half-way through the body. */
const cutAnswers = new WeakSet<http.ServerResponse>()

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    response.writeHead(204, headers).end()
    return
  }
  const text = Buffer.from(JSON.stringify(body))
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(text.length), ...headers })
  if (cutAnswers.has(response)) {
    // The status line and headers promise the whole body; half of it comes, then the connection closes.
    response.write(text.subarray(0, Math.floor(text.length / 2)), () => response.socket?.destroy())
    return
  }
  response.end(text)
}

const oneApi = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } })

const aadsts = (error: string, code: number, description: string) => ({
  error,
  error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomBytes(8).toString('hex')}\r\nTimestamp: ${new Date().toISOString()}`,
  error_codes: [code],
})

/** ISO 8601 durations Log Analytics takes for timespan (days, hours, minutes, seconds). */
function durationMs(text: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text)
  if (!m || text === 'P' || text.endsWith('T')) return null
  return (((+(m[1] ?? 0) * 24 + +(m[2] ?? 0)) * 60 + +(m[3] ?? 0)) * 60 + +(m[4] ?? 0)) * 1000
}

function columnType(name: string, value: unknown): string {
  if (name === 'TimeGenerated' || name === 'CreatedDateTime') return 'datetime'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'real'
  if (value !== null && typeof value === 'object') return 'dynamic'
  return 'string'
}

/** Rows as the API returns them: one table, columns typed from the values, dynamic as JSON text. */
function table(rows: Record<string, unknown>[]) {
  const columns: { name: string; type: string }[] = []
  const index = new Map<string, number>()
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      if (value === null || value === undefined) continue
      if (!index.has(name)) {
        index.set(name, columns.length)
        columns.push({ name, type: columnType(name, value) })
      }
    }
  }
  return {
    name: 'PrimaryResult',
    columns,
    rows: rows.map((row) =>
      columns.map(({ name, type }) => {
        const value = row[name] ?? null
        return type === 'dynamic' && value !== null ? JSON.stringify(value) : value
      }),
    ),
  }
}

export async function startFakeMicrosoft(options: { app: FakeApp; tokenLifetimeSeconds?: number; graph?: Partial<GraphBehaviour>; logAnalytics?: Partial<LogAnalyticsBehaviour> }): Promise<FakeMicrosoft> {
  const tokens = new Map<string, Token>()
  const cursors = new Map<string, Cursor>()
  const counts = { token: 0, graph: 0, log_analytics: 0 }
  const failed = new Set<string>()
  let clockOffset = 0
  const now = () => Date.now() + clockOffset
  let base = ''

  const fake: FakeMicrosoft = {
    url: '',
    graphScope: '',
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    graph: { signIns: [], ...options.graph },
    logAnalytics: { workspaceId: '00000000-0000-0000-0000-000000000000', rows: [], ...options.logAnalytics },
    tokenFaults: {},
    requests: [],
    tokensIssued: () => tokens.size,
    advanceClock: (ms) => {
      clockOffset += ms
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }

  /** A fault injected on this request, if any (answered and true). */
  function injectedFault(api: 'token' | 'graph' | 'log_analytics', behaviour: Faults, response: http.ServerResponse): boolean {
    const n = ++counts[api]
    if (behaviour.expireTokens?.includes(n)) for (const token of tokens.values()) token.expiresAt = Math.min(token.expiresAt, now())
    if (behaviour.cutBody?.includes(n)) cutAnswers.add(response)
    if (behaviour.reset?.includes(n)) {
      response.socket?.destroy()
      return true
    }
    if (behaviour.unavailable?.includes(n)) {
      send(response, 503, oneApi('ServiceUnavailable', 'The service is temporarily unavailable.'))
      return true
    }
    if (behaviour.throttle?.requests.includes(n)) {
      send(response, 429, oneApi('TooManyRequests', 'Too many requests.'), { 'retry-after': String(behaviour.throttle.retryAfterSeconds) })
      return true
    }
    if (behaviour.fail?.request === n && !failed.has(`${api}:${n}`)) {
      failed.add(`${api}:${n}`)
      send(response, 500, oneApi(api === 'graph' ? 'UnknownError' : 'InternalServerError', 'An internal server error occurred.'))
      return true
    }
    return false
  }

  function token(form: URLSearchParams, tenant: string, response: http.ServerResponse): void {
    if (injectedFault('token', fake.tokenFaults, response)) return
    const { app } = options
    if (decodeURIComponent(tenant) !== app.tenantId) return send(response, 400, aadsts('invalid_request', 90002, `Tenant '${decodeURIComponent(tenant)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`))
    if (form.get('grant_type') !== 'client_credentials') return send(response, 400, aadsts('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'))
    if (form.get('client_id') !== app.clientId) return send(response, 400, aadsts('unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory '${app.tenantId}'.`))
    if (form.get('client_secret') !== app.clientSecret) return send(response, 401, aadsts('invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`))
    const scope = form.get('scope') ?? ''
    if (scope !== fake.graphScope && scope !== LOG_ANALYTICS_SCOPE) return send(response, 400, aadsts('invalid_scope', 500011, `The resource principal named ${scope.replace(/\/\.default$/, '')} was not found in the tenant named ${app.tenantId}.`))
    const lifetime = fake.tokenLifetimeSeconds
    const value = randomBytes(24).toString('base64url')
    tokens.set(value, { scope, expiresAt: now() + lifetime * 1000 })
    send(response, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: value })
  }

  function bearer(request: http.IncomingMessage): { value: string; token: Token | null } | null {
    const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')
    return m ? { value: m[1], token: tokens.get(m[1]) ?? null } : null
  }

  function graphSignIns(request: http.IncomingMessage, url: URL, response: http.ServerResponse): void {
    const behaviour = fake.graph
    if (injectedFault('graph', behaviour, response)) return
    const auth = bearer(request)
    if (!auth) return send(response, 401, oneApi('InvalidAuthenticationToken', 'Access token is empty.'))
    if (!auth.token || auth.token.scope !== fake.graphScope) return send(response, 401, oneApi('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'))
    if (auth.token.expiresAt <= now()) return send(response, 401, oneApi('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'))
    if (behaviour.premium === false) return send(response, 403, oneApi('Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license"))
    if (behaviour.permitted === false) return send(response, 403, oneApi('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'))

    const skiptoken = url.searchParams.get('$skiptoken')
    let cursor: Cursor | undefined
    if (skiptoken) {
      // Graph's skiptokens can be used again (a retried page gets the same page).
      cursor = cursors.get(skiptoken)
      if (!cursor) return send(response, 400, oneApi('Request_BadRequest', 'Invalid $skiptoken.'))
    } else {
      const top = Number(url.searchParams.get('$top') ?? 1000)
      if (!Number.isInteger(top) || top < 1 || top > 1000) return send(response, 400, oneApi('Request_UnsupportedQuery', `Invalid page size specified: '${url.searchParams.get('$top')}'. Must be between 1 and 1000 inclusive.`))
      const filter = url.searchParams.get('$filter') ?? ''
      const bounds = [...filter.matchAll(/createdDateTime (ge|gt|le|lt) (\S+)/g)].map(([, op, date]) => ({ op, time: Date.parse(date) }))
      if (bounds.some((b) => Number.isNaN(b.time))) return send(response, 400, oneApi('Request_BadRequest', `Invalid filter clause: ${filter}`))
      const types = /signInEventTypes\/any\(([^)]*)\)/.exec(filter)
      const wanted = types ? [...types[1].matchAll(/eq '(\w+)'/g)].map((m) => m[1]) : ['interactiveUser']
      const items = behaviour.signIns
        .filter((s) => {
          const t = Date.parse(String(s.createdDateTime))
          const kinds = (s.signInEventTypes as string[] | undefined) ?? ['interactiveUser']
          return (
            kinds.some((k) => wanted.includes(k)) &&
            bounds.every(({ op, time }) => (op === 'ge' ? t >= time : op === 'gt' ? t > time : op === 'le' ? t <= time : t < time))
          )
        })
        .sort((a, b) => Date.parse(String(b.createdDateTime)) - Date.parse(String(a.createdDateTime)))
      cursor = { items, offset: 0, filter, top }
    }
    const size = Math.min(cursor.top, behaviour.pageSize ?? 1000)
    const value = cursor.items.slice(cursor.offset, cursor.offset + size)
    const body: Record<string, unknown> = { '@odata.context': `${base}/beta/$metadata#auditLogs/signIns`, value }
    if (cursor.offset + size < cursor.items.length) {
      const next = randomBytes(16).toString('hex')
      cursors.set(next, { ...cursor, offset: cursor.offset + size })
      body['@odata.nextLink'] = `${behaviour.nextLinkOrigin ?? base}/beta/auditLogs/signIns?$filter=${encodeURIComponent(cursor.filter)}&$top=${cursor.top}&$skiptoken=${next}`
    }
    send(response, 200, body)
  }

  function logAnalyticsQuery(request: http.IncomingMessage, workspace: string, text: string, response: http.ServerResponse): void {
    const behaviour = fake.logAnalytics
    if (injectedFault('log_analytics', behaviour, response)) return
    const auth = bearer(request)
    if (!auth) return send(response, 401, oneApi('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."))
    if (!auth.token) return send(response, 403, oneApi('InvalidAuthenticationToken', 'The access token is invalid.'))
    if (auth.token.scope !== LOG_ANALYTICS_SCOPE) {
      return send(response, 403, oneApi('InvalidAuthenticationTokenAudience', `The access token has been obtained from wrong audience or resource '${auth.token.scope.replace(/\/\.default$/, '')}'. It should exactly match with one of the allowed audiences 'https://api.loganalytics.io'.`))
    }
    // Which status an expired token gets is not documented; 403 InvalidTokenError is what clients report.
    if (auth.token.expiresAt <= now()) return send(response, 403, oneApi('InvalidTokenError', 'The provided authentication is not valid for this resource', { innererror: { code: 'TokenExpiredError', message: 'The provided token has expired' } }))
    if (workspace !== behaviour.workspaceId) return send(response, 404, oneApi('PathNotFoundError', 'The requested path does not exist'))
    if (behaviour.permitted === false) return send(response, 403, oneApi('InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation'))
    // As documented: no JSON body or no Content-Type → an empty 200.
    if (!/application\/json/.test(request.headers['content-type'] ?? '') || text === '') return void response.writeHead(200).end()
    let body: { query?: unknown; timespan?: unknown }
    try {
      body = JSON.parse(text) as typeof body
    } catch {
      return send(response, 400, oneApi('BadArgumentError', 'The request had some invalid properties', { innererror: { code: 'SyntaxError', message: 'Request body is not JSON' } }))
    }
    const query = typeof body.query === 'string' ? body.query : ''
    const span = typeof body.timespan === 'string' ? body.timespan : ''
    const [start, end] = span.includes('/') ? span.split('/').map((t) => Date.parse(t)) : [now() - (durationMs(span) ?? Number.NaN), now()]
    if (query === '' || Number.isNaN(start) || Number.isNaN(end)) return send(response, 400, oneApi('BadArgumentError', 'The request had some invalid properties', { innererror: { code: 'SyntaxError', message: `query or timespan missing or invalid (${span})` } }))
    if (behaviour.rows.length === 0) return send(response, 204, null)

    const tables = ['SigninLogs', 'AADNonInteractiveUserSignInLogs'].filter((t) => new RegExp(`\\b${t}\\b`).test(query))
    let rows = behaviour.rows.filter((r) => {
      const t = Date.parse(String(r.TimeGenerated))
      return tables.includes(String(r.Type)) && t >= start && t < end
    })
    const take = /\|\s*(?:take|limit)\s+(\d+)/.exec(query)
    if (take) rows = rows.slice(0, Number(take[1]))
    if (behaviour.maxRows !== undefined && rows.length > behaviour.maxRows) {
      const limit = behaviour.maxRows
      return send(response, 200, {
        tables: [table(rows.slice(0, limit))],
        error: {
          message: 'Response contained partial errors',
          code: 'PartialError',
          details: [
            {
              code: 'EngineError',
              message: 'Something went wrong processing your query on the server.',
              innererror: { code: '-2133196797', message: `Query result set has exceeded the internal record count limit ${limit} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)`, severity: 2, severityName: 'Error' },
            },
          ],
        },
      })
    }
    send(response, 200, { tables: [table(rows)] })
  }

  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const url = new URL(request.url ?? '/', base)
    let api: LoggedRequest['api'] = 'other'
    // On close, so that answers cut off or reset are logged too (status 0 for a reset).
    response.on('close', () =>
      fake.requests.push({ api, method: request.method ?? '', target: request.url ?? '', status: response.headersSent ? response.statusCode : 0, body: text, cut: cutAnswers.has(response) || undefined }),
    )
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname)
    const workspacePath = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(url.pathname)
    if (tokenPath && request.method === 'POST') {
      api = 'token'
      return token(new URLSearchParams(text), tokenPath[1], response)
    }
    if (url.pathname === '/beta/auditLogs/signIns' && request.method === 'GET') {
      api = 'graph'
      return graphSignIns(request, url, response)
    }
    if (workspacePath && request.method === 'POST') {
      api = 'log_analytics'
      return logAnalyticsQuery(request, decodeURIComponent(workspacePath[1]), text, response)
    }
    send(response, 404, oneApi('UnknownError', `no route for ${request.method} ${url.pathname}`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.url = base
  fake.graphScope = `${base}/.default`
  return fake
}

/** The 81 Graph beta sign-in objects of the format samples (three pages, interactive and non-interactive). */
export function sampleGraphSignIns(): Record<string, unknown>[] {
  return ['page-001.json', 'page-002.json', 'page-003.json'].flatMap(
    (file) => (JSON.parse(readFileSync(path.join(formatSamplesDir, 'graph-beta', file), 'utf8')) as { value: Record<string, unknown>[] }).value,
  )
}

/** "2/17/2026, 2:07:51.539 PM" (the portal's UTC export) → ISO 8601. */
function isoFromLocale(text: string): string {
  const m = /^(\d+)\/(\d+)\/(\d{4}), (\d+):(\d\d):(\d\d)\.(\d{3}) (AM|PM)$/.exec(text)
  if (!m) throw new Error(`unexpected date in the sample: ${text}`)
  const hour = (Number(m[4]) % 12) + (m[8] === 'PM' ? 12 : 0)
  return new Date(Date.UTC(+m[3], +m[1] - 1, +m[2], hour, +m[5], +m[6], +m[7])).toISOString()
}

const LA_DYNAMIC = ['Status', 'LocationDetails', 'DeviceDetail', 'MfaDetail', 'ConditionalAccessPolicies']

/**
 * The Log Analytics export samples (SigninLogs and AADNonInteractiveUserSignInLogs) as the query
 * API's rows: ISO datetimes, typed booleans and numbers, JSON cells as values. Where the two
 * tables disagree on a column's type (dynamic here, string there), the union the fetcher runs
 * names the columns `X_dynamic` and `X_string`, and so do these rows.
 */
export function sampleLogAnalyticsRows(): Record<string, unknown>[] {
  const files: [string, 'dynamic' | 'string'][] = [
    ['query_data.csv', 'dynamic'],
    ['query_data (1).csv', 'string'],
  ]
  return files.flatMap(([file, dynamicAs]) => {
    const records = parseCsv(readFileSync(path.join(formatSamplesDir, 'la', file)), { columns: true, bom: true }) as Record<string, string>[]
    return records.map((record) => {
      const row: Record<string, unknown> = {}
      for (const [header, text] of Object.entries(record)) {
        const name = header.replace(/ \[UTC\]$/, '')
        if (text === '') row[name] = null
        else if (header.endsWith(' [UTC]')) row[name] = isoFromLocale(text)
        else if (LA_DYNAMIC.includes(name)) row[`${name}_${dynamicAs}`] = dynamicAs === 'dynamic' ? JSON.parse(text) : text
        else if (text === 'TRUE' || text === 'FALSE') row[name] = text === 'TRUE'
        else if (name === 'AutonomousSystemNumber' || name === 'DurationMs') row[name] = Number(text)
        else row[name] = text
      }
      return row
    })
  })
}
