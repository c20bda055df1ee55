import { getPool } from '@/lib/db/database'
import { datasetsLeftBehind } from '@/lib/derive/derived-state'
import { scheduleRecompute } from '@/lib/derive/recompute-scheduler'
import { failInterruptedImports } from '@/lib/ingest/import-job'
import { resumeUploadedImports } from '@/lib/uploads/upload-ingest'
import { failInterruptedRuns, orphanedBackfills } from './connector-lease'
import { runBackfill, runConnector } from './run-connector'

/**
 * Background work of the app server: scheduled connector pulls, and recovery after a restart
 * (stream runs and imports whose process died are failed — the stream resumes from its
 * watermark; backfills whose process died are resumed from their own progress; uploads that had
 * fully arrived are imported again from their stored file), and the recomputes nobody is
 * running: a dataset an import left pending (`cli ingest --no-wait`, a CLI stopped before its
 * recompute) or a recompute whose process died left "running" showed "findings are being
 * updated" until the next start. Several app processes may run this:
 * connector leases, job states and the recompute's claim keep them from doing the same work twice.
 */
const TICK_MS = 60_000
/** How long a dataset stays pending (or running without a process) before the server recomputes it: its importer's own recompute comes first. */
export const LEFT_BEHIND_SECONDS = 60

let started = false
let ticking = false

export async function schedulerTick(log: (line: string) => void = console.log): Promise<void> {
  if (ticking) return
  ticking = true
  try {
    await failInterruptedRuns()
    await failInterruptedImports()
    await resumeUploadedImports()
    const pool = await getPool()
    const { rows } = await pool.query<{ id: number; name: string }>(
      `SELECT id, name FROM connectors
        WHERE enabled AND schedule_minutes IS NOT NULL
          AND (last_run_at IS NULL OR last_run_at + make_interval(mins => schedule_minutes) <= now())
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY last_run_at NULLS FIRST`,
    )
    for (const connector of rows) {
      await runConnector(connector.id, { log }).catch((error: Error) => log(`[connectors] ${connector.name}: not run (${error.message})`))
    }
    // In the background (lib/derive/recompute-scheduler.ts): it waits while imports into the
    // dataset are underway, and a long recompute must not hold up the scheduled pulls.
    for (const datasetId of await datasetsLeftBehind(LEFT_BEHIND_SECONDS)) {
      log(`[recompute] dataset ${datasetId}: nobody is recomputing it, recomputing`)
      scheduleRecompute(datasetId, 0)
    }
    for (const runId of await orphanedBackfills()) {
      log(`[connectors] resuming backfill run ${runId}, whose process is gone`)
      // In the background: a long window must not hold up the scheduled pulls. Its claim keeps
      // the next tick from starting it twice.
      void runBackfill(runId, { log }).catch((error: Error) => log(`[connectors] backfill run ${runId}: not resumed (${error.message})`))
    }
  } finally {
    ticking = false
  }
}

export function startScheduler(): void {
  if (started || process.env.ET_SCHEDULER === 'off') return
  started = true
  const tick = () => void schedulerTick().catch((error: Error) => console.error(`[scheduler] ${error.message}`))
  setTimeout(tick, 5_000).unref()
  setInterval(tick, TICK_MS).unref()
}
