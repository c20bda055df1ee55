import { getPool } from '@/lib/db/database'
import { currentProcess, describeHolder, holderGone, type Holder } from './process-identity'

/**
 * Who may run a connector now. A scheduled-stream run holds the connector's lease
 * (`connectors.locked_until`, renewed every minute, and `locked_by_run_id`); a backfill run holds
 * itself (its heartbeat). Each run row names its process, so a run whose process is gone — the
 * app was killed, the host rebooted — is taken over at once, not when its lease runs out.
 */

export const LEASE_MINUTES = 10

interface HolderRow {
  id: number
  holder_host: string | null
  holder_pid: number | null
  holder_start: string | null
  holder_boot: string | null
}

const asHolder = (row: HolderRow): Holder => ({ host: row.holder_host, pid: row.holder_pid, start: row.holder_start, boot: row.holder_boot })

export function holderColumns(): { holderHost: string; holderPid: number; holderStart: string; holderBoot: string } {
  const me = currentProcess()
  return { holderHost: me.host, holderPid: me.pid, holderStart: me.start, holderBoot: me.boot }
}

function goneMessage(row: HolderRow): string {
  return `interrupted: the process running it (${describeHolder(asHolder(row))}) is gone; the next run resumes from the last stored slice`
}

/**
 * The stream lease, or false while a live run holds it. A lease whose run's process is gone is
 * taken over: that run is failed, and the lease changes hands only if nobody took it meanwhile.
 */
export async function acquireStreamLease(connectorId: number): Promise<boolean> {
  const pool = await getPool()
  const free = await pool.query(
    `UPDATE connectors SET locked_until = now() + make_interval(mins => $2), locked_by_run_id = NULL, last_run_at = now()
      WHERE id = $1 AND (locked_until IS NULL OR locked_until < now())`,
    [connectorId, LEASE_MINUTES],
  )
  if (free.rowCount === 1) return true
  const { rows } = await pool.query<HolderRow & { finished: boolean }>(
    `SELECT r.id, r.holder_host, r.holder_pid, r.holder_start, r.holder_boot, r.status <> 'running' AS finished
       FROM connectors c JOIN connector_runs r ON r.id = c.locked_by_run_id
      WHERE c.id = $1`,
    [connectorId],
  )
  const holder = rows[0]
  // A lease of a run that finished (its release was lost) is as free as one whose process is gone.
  if (!holder || !(holder.finished || holderGone(asHolder(holder)))) return false
  const taken = await pool.query(
    `UPDATE connectors SET locked_until = now() + make_interval(mins => $2), locked_by_run_id = NULL, last_run_at = now()
      WHERE id = $1 AND locked_by_run_id = $3`,
    [connectorId, LEASE_MINUTES, holder.id],
  )
  if (taken.rowCount !== 1) return false
  await failRun(holder.id, goneMessage(holder))
  return true
}

/** Whether a connector's lease is held by a run that is still alive (for "running" on the pages). */
export async function liveStreamLeases(connectorIds: number[]): Promise<Set<number>> {
  if (connectorIds.length === 0) return new Set()
  const pool = await getPool()
  const { rows } = await pool.query<HolderRow & { connector_id: number; finished: boolean | null }>(
    `SELECT c.id AS connector_id, r.id, r.holder_host, r.holder_pid, r.holder_start, r.holder_boot, r.status <> 'running' AS finished
       FROM connectors c LEFT JOIN connector_runs r ON r.id = c.locked_by_run_id
      WHERE c.id = ANY($1::int[]) AND c.locked_until > now()`,
    [connectorIds],
  )
  // No run named yet: a run is starting (or an older version holds it) — trusted until the lease ends.
  return new Set(rows.filter((row) => row.id === null || (!row.finished && !holderGone(asHolder(row)))).map((row) => row.connector_id))
}

export async function attachStreamLease(connectorId: number, runId: number): Promise<void> {
  const pool = await getPool()
  await pool.query('UPDATE connectors SET locked_by_run_id = $2 WHERE id = $1', [connectorId, runId])
}

export async function renewStreamLease(connectorId: number, runId: number): Promise<void> {
  const pool = await getPool()
  await pool.query('UPDATE connectors SET locked_until = now() + make_interval(mins => $2) WHERE id = $1 AND locked_by_run_id = $3', [connectorId, LEASE_MINUTES, runId])
  await pool.query('UPDATE connector_runs SET heartbeat_at = now() WHERE id = $1', [runId])
}

export async function releaseStreamLease(connectorId: number, runId: number): Promise<void> {
  const pool = await getPool()
  await pool.query('UPDATE connectors SET locked_until = NULL, locked_by_run_id = NULL WHERE id = $1 AND (locked_by_run_id = $2 OR locked_by_run_id IS NULL)', [connectorId, runId])
}

async function failRun(runId: number, message: string): Promise<void> {
  const pool = await getPool()
  await pool.query(`UPDATE connector_runs SET status = 'failed', finished_at = clock_timestamp(), error = $2 WHERE id = $1 AND status = 'running'`, [runId, message])
}

/**
 * A backfill run for this process: one it holds already, one never claimed, one whose process
 * is gone or whose heartbeat stopped a lease ago. False when a live process has it.
 */
export async function claimBackfill(runId: number): Promise<boolean> {
  const pool = await getPool()
  const { rows } = await pool.query<HolderRow & { stale: boolean }>(
    `SELECT id, holder_host, holder_pid, holder_start, holder_boot, heartbeat_at < now() - make_interval(mins => $2) AS stale
       FROM connector_runs WHERE id = $1 AND backfill AND status = 'running'`,
    [runId, LEASE_MINUTES],
  )
  const run = rows[0]
  if (!run) return false
  const me = currentProcess()
  const mine = run.holder_host === me.host && run.holder_pid === me.pid && run.holder_start === me.start
  if (!mine && run.holder_pid !== null && !run.stale && !holderGone(asHolder(run))) return false
  const claimed = await pool.query(
    `UPDATE connector_runs SET holder_host = $2, holder_pid = $3, holder_start = $4, holder_boot = $5, heartbeat_at = now()
      WHERE id = $1 AND status = 'running' AND holder_pid IS NOT DISTINCT FROM $6 AND holder_start IS NOT DISTINCT FROM $7`,
    [runId, me.host, me.pid, me.start, me.boot, run.holder_pid, run.holder_start],
  )
  return claimed.rowCount === 1
}

/** Backfill runs left running by a process that is gone (or silent for a lease): to be resumed. */
export async function orphanedBackfills(): Promise<number[]> {
  const pool = await getPool()
  const { rows } = await pool.query<HolderRow & { stale: boolean }>(
    `SELECT id, holder_host, holder_pid, holder_start, holder_boot, heartbeat_at < now() - make_interval(mins => $1) AS stale
       FROM connector_runs WHERE backfill AND status = 'running' ORDER BY id`,
    [LEASE_MINUTES],
  )
  return rows.filter((row) => row.holder_pid === null || row.stale || holderGone(asHolder(row))).map((row) => row.id)
}

/**
 * Stream runs whose process is gone (checked on this host) or whose heartbeat stopped are
 * failed and their connector released; the connector resumes from its watermark next run.
 */
export async function failInterruptedRuns(): Promise<number> {
  const pool = await getPool()
  const { rows } = await pool.query<HolderRow & { connector_id: number; stale: boolean }>(
    `SELECT id, connector_id, holder_host, holder_pid, holder_start, holder_boot, heartbeat_at < now() - interval '5 minutes' AS stale
       FROM connector_runs WHERE status = 'running' AND NOT backfill`,
  )
  let failed = 0
  for (const run of rows) {
    const gone = holderGone(asHolder(run))
    if (!gone && !run.stale) continue
    await failRun(run.id, gone ? goneMessage(run) : 'interrupted: the process running it stopped; the next run resumes from the last stored slice')
    await pool.query('UPDATE connectors SET locked_until = NULL, locked_by_run_id = NULL WHERE id = $1 AND locked_by_run_id = $2', [run.connector_id, run.id])
    failed++
  }
  return failed
}
