/**
 * Whether an error means the database cannot be reached right now (down, restarting, the
 * connection cut), as opposed to a fault of the query: such requests get a 503 "database
 * restarting", and imports cut this way are resumed or failed as interrupted.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // terminating connection due to administrator command
  '57P02', // crash shutdown
  '57P03', // the database system is starting up / in recovery
  '08000',
  '08001',
  '08003',
  '08006',
])

const UNAVAILABLE_MESSAGES = /Connection terminated|connection (?:is )?closed|server closed the connection|terminating connection|database system is (?:starting up|in recovery mode|shutting down)|ECONNREFUSED|ECONNRESET|Can't reach database server|Client has encountered a connection error/i

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] }
    if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message)) return true
    if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDatabaseUnavailable(inner))) return true
    e = candidate.cause
  }
  return false
}
