import { timeStatements } from './statement-times'

/**
 * Where a dataset's pending recompute spends its time, statement by statement
 * (`DATABASE_URL=… tsx scripts/bench/recompute-profile.ts <dataset id> [--full]`; not part of
 * `npm run bench`). Written for the bench's appended hour at 10 M events: import the hour with
 * `npm run cli -- ingest FILE --dataset bench --no-wait` into a kept bench database, keep that
 * database as a template, and run this on copies of it (`CREATE DATABASE … TEMPLATE …`), so each
 * variant of a detector recomputes the same append. Prints each detector's time and the
 * statements by total time as the client saw them (the first 20, or TOP=N).
 */
const statements = timeStatements()

const { closeDatabase } = await import('@/lib/db/database')
const { recomputeDataset } = await import('@/lib/derive/recompute')
const [datasetId] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
if (!datasetId) throw new Error('usage: tsx scripts/bench/recompute-profile.ts <dataset id> [--full]')
try {
  const at = performance.now()
  const result = await recomputeDataset(Number(datasetId), { full: process.argv.includes('--full') })
  console.log(`${result.status} in ${(performance.now() - at).toFixed(0)} ms${result.error ? `: ${result.error}` : ''}`)
  for (const phase of result.run?.phases ?? []) console.log(`  ${phase.detector.padEnd(22)} ${String(phase.ms).padStart(7)} ms`)
  statements.print(Number(process.env.TOP ?? 20))
} finally {
  await closeDatabase()
}
