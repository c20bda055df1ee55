/**
 * Outbound HTTP for connectors: only to the connector's own hosts, with the retry discipline
 * Microsoft and LogScale document — 429 waits Retry-After (seconds or a date), 503/504 and
 * network errors back off exponentially — and a timeout on every request.
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

export interface HttpOptions {
  allowedHosts: Set<string>
  maxRetries?: number
  timeoutMs?: number
  signal?: AbortSignal
  /** Waits (tests make it instant and record the delays). */
  sleep?: (ms: number) => Promise<void>
  /** Longest single wait honoured from Retry-After. */
  maxRetryAfterMs?: number
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

export async function connectorFetch(url: string, init: RequestInit, options: HttpOptions): Promise<Response> {
  const host = new URL(url).host
  if (!options.allowedHosts.has(host)) throw new ConnectorHttpError(`refused: ${host} is not one of this connector's hosts (${[...options.allowedHosts].join(', ')})`, null, '')
  const sleep = options.sleep ?? defaultSleep
  const maxRetries = options.maxRetries ?? 6
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 120_000)
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
    let response: Response
    try {
      response = await fetch(url, { ...init, signal, redirect: 'manual' })
    } catch (error) {
      if (options.signal?.aborted || attempt >= maxRetries) throw new ConnectorHttpError(`${new URL(url).origin}: ${(error as Error).message}`, null, '')
      await sleep(Math.min(60_000, 1000 * 2 ** attempt))
      continue
    }
    const retryable = response.status === 429 || response.status === 503 || response.status === 504
    if (!retryable || attempt >= maxRetries) return response
    const wait = retryAfterMs(response.headers.get('retry-after')) ?? 1000 * 2 ** attempt
    await response.body?.cancel()
    await sleep(Math.min(wait, options.maxRetryAfterMs ?? 300_000))
  }
}
