import { RefusedAddressError } from './address-guard'
import { send } from './http-transport'
import { RETRY_CAUSE_LABELS, type RetryCause } from './retry-causes'

export type { RetryCause }

/**
 * Outbound HTTP for connectors: only to the connector's own hosts (and never to a private
 * address, address-guard.ts), with the retry discipline Microsoft and LogScale document — 429
 * waits Retry-After (seconds or a date); 502/503/504, network errors and a body cut off mid-way
 * back off exponentially — and a timeout on every request. Every request and every retry (by
 * cause) is counted in the run's statistics and each retry is logged, so a flaky link shows.
 */
export class ConnectorHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: string,
  ) {
    super(message)
  }
}

/** What a run did on the wire. */
export interface RequestStats {
  requests: number
  retries: Record<RetryCause, number>
  tokensFetched: number
}

export const newRequestStats = (): RequestStats => ({ requests: 0, retries: { throttled: 0, unavailable: 0, cutBody: 0, network: 0, tokenExpired: 0 }, tokensFetched: 0 })

export interface HttpOptions {
  allowedHosts: Set<string>
  maxRetries?: number
  timeoutMs?: number
  signal?: AbortSignal
  /** Waits (tests make it instant and record the delays). */
  sleep?: (ms: number) => Promise<void>
  /** Longest single wait honoured from Retry-After. */
  maxRetryAfterMs?: number
  /** Counts requests, retries and tokens (a run's statistics). */
  stats?: RequestStats
  /** Where retries are logged (the server log for runs). */
  log?: (line: string) => void
}

/** A response read to its end. */
export interface HttpAnswer {
  status: number
  ok: boolean
  headers: Headers
  text: string
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const RETRYABLE_STATUS = new Set([429, 502, 503, 504])

export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** Counts and logs one retry. */
export function noteRetry(options: HttpOptions, cause: RetryCause, url: string, detail: string, waitMs: number): void {
  if (options.stats) options.stats.retries[cause]++
  options.log?.(`retrying ${new URL(url).origin}${new URL(url).pathname} after ${RETRY_CAUSE_LABELS[cause]} (${detail}) in ${Math.round(waitMs)} ms`)
}

function checkHost(url: string, options: HttpOptions): void {
  const host = new URL(url).host
  if (!options.allowedHosts.has(host)) throw new ConnectorHttpError(`refused: ${host} is not one of this connector's hosts (${[...options.allowedHosts].join(', ')})`, null, '')
}

/**
 * One request, retried as documented; `read` consumes the body inside the retry loop, so a body
 * cut off mid-way is retried like a 503 — the same request again, and nothing of the cut one is
 * passed on. Without `read` the response comes back unread (a stream the caller consumes).
 */
async function exchange<T>(url: string, init: RequestInit, options: HttpOptions, read: ((response: Response) => Promise<T>) | null): Promise<T | Response> {
  checkHost(url, options)
  const sleep = options.sleep ?? defaultSleep
  const maxRetries = options.maxRetries ?? 6
  const backoff = (attempt: number) => Math.min(60_000, 1000 * 2 ** attempt)
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 120_000)
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
    if (options.stats) options.stats.requests++
    let response: Response
    try {
      response = await send(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body as string | undefined, signal })
    } catch (error) {
      if (error instanceof RefusedAddressError || (error as { code?: string }).code === 'EREFUSEDADDRESS') throw new ConnectorHttpError((error as Error).message, null, '')
      if (options.signal?.aborted || attempt >= maxRetries) throw new ConnectorHttpError(`${new URL(url).origin}: ${(error as Error).message}`, null, '')
      noteRetry(options, 'network', url, (error as Error).message, backoff(attempt))
      await sleep(backoff(attempt))
      continue
    }
    if (RETRYABLE_STATUS.has(response.status) && attempt < maxRetries) {
      const wait = Math.min(retryAfterMs(response.headers.get('retry-after')) ?? backoff(attempt), options.maxRetryAfterMs ?? 300_000)
      await response.body?.cancel().catch(() => {})
      noteRetry(options, response.status === 429 ? 'throttled' : 'unavailable', url, String(response.status), wait)
      await sleep(wait)
      continue
    }
    if (!read) return response
    try {
      return await read(response)
    } catch (error) {
      if (options.signal?.aborted || attempt >= maxRetries) throw new ConnectorHttpError(`${new URL(url).origin}: the response was cut off (${(error as Error).message})`, null, '')
      noteRetry(options, 'cutBody', url, (error as Error).message, backoff(attempt))
      await sleep(backoff(attempt))
    }
  }
}

/** The response with its body unread (streams). */
export async function connectorFetch(url: string, init: RequestInit, options: HttpOptions): Promise<Response> {
  return (await exchange(url, init, options, null)) as Response
}

/** The response read to its end; a cut body is retried. */
export async function connectorFetchText(url: string, init: RequestInit, options: HttpOptions): Promise<HttpAnswer> {
  return (await exchange(url, init, options, async (response) => ({ status: response.status, ok: response.ok, headers: response.headers, text: await response.text() }))) as HttpAnswer
}
