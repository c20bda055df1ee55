import pg from 'pg'

/**
 * How long each statement took as the client saw it, for the profiling scripts: patches
 * pg.Client's query (every pool's client, Prisma's adapter included) from the moment it is
 * called. A COPY's time runs until its stream finishes, so it includes whatever the caller did
 * meanwhile (parsing the next batch).
 */
export function timeStatements(): { reset(): void; print(limit: number): void } {
  const times: { sql: string; ms: number }[] = []
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
  ;(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; constructor: { name: string } }
    const text = typeof first === 'string' ? first : (first?.text ?? first?.constructor?.name ?? '')
    const at = performance.now()
    const result = query.apply(this, args) as { then?: unknown; on?: unknown } | undefined
    const done = () => times.push({ sql: statementName(String(text)), ms: performance.now() - at })
    if (result && typeof result.then === 'function') (result as Promise<unknown>).then(done, done)
    else if (result && typeof result.on === 'function') {
      const stream = result as NodeJS.EventEmitter
      stream.on('finish', done)
      stream.on('error', done)
    }
    return result
  }
  return {
    /** Forgets what ran so far (a warm-up). */
    reset() {
      times.length = 0
    },
    /** The `limit` statements that took longest in total, with how often each ran. */
    print(limit) {
      const byStatement = new Map<string, { n: number; ms: number }>()
      for (const t of times) {
        const s = byStatement.get(t.sql) ?? { n: 0, ms: 0 }
        s.n++
        s.ms += t.ms
        byStatement.set(t.sql, s)
      }
      for (const [sql, s] of [...byStatement].sort((a, b) => b[1].ms - a[1].ms).slice(0, limit)) console.log(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.n).padStart(4)}× ${sql}`)
    },
  }
}

/** A statement's first lines after its comments (our .sql files open with them), on one line. */
function statementName(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('--'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 100)
}
