import pg from 'pg'

/**
 * Where a dataset's pending recompute spends its time, statement by statement
 * (`DATABASE_URL=… tsx scripts/bench/recompute-profile.ts <dataset id> [--full]`; not part of
 * `npm run bench`). Written for the bench's appended hour at 10 M events: import the hour with
 * `npm run cli -- ingest FILE --dataset bench --no-wait` into a kept bench database, keep that
 * database as a template, and run this on copies of it (`CREATE DATABASE … TEMPLATE …`), so each
 * variant of a detector recomputes the same append. Prints each detector's time and the
 * statements by total time as the client saw them.
 */
const times: { sql: string; ms: number }[] = []
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
;(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string }
  const text = typeof first === 'string' ? first : (first?.text ?? '')
  const at = performance.now()
  const result = query.apply(this, args) as { then?: unknown } | undefined
  // The statement's first lines after its comments name it well enough.
  const name = String(text)
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('--'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 100)
  const done = () => times.push({ sql: name, ms: performance.now() - at })
  if (result && typeof result.then === 'function') (result as Promise<unknown>).then(done, done)
  return result
}

const { closeDatabase } = await import('@/lib/db/database')
const { recomputeDataset } = await import('@/lib/derive/recompute')
const [datasetId] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
if (!datasetId) throw new Error('usage: tsx scripts/bench/recompute-profile.ts <dataset id> [--full]')
try {
  const at = performance.now()
  const result = await recomputeDataset(Number(datasetId), { full: process.argv.includes('--full') })
  console.log(`${result.status} in ${(performance.now() - at).toFixed(0)} ms${result.error ? `: ${result.error}` : ''}`)
  for (const phase of result.run?.phases ?? []) console.log(`  ${phase.detector.padEnd(22)} ${String(phase.ms).padStart(7)} ms`)
  const byStatement = new Map<string, { n: number; ms: number }>()
  for (const t of times) {
    const s = byStatement.get(t.sql) ?? { n: 0, ms: 0 }
    s.n++
    s.ms += t.ms
    byStatement.set(t.sql, s)
  }
  for (const [sql, s] of [...byStatement].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) console.log(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.n).padStart(3)}× ${sql}`)
} finally {
  await closeDatabase()
}
