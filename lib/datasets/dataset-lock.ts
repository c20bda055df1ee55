import type { ClientBase } from 'pg'

/**
 * 'ENUM': keeps our advisory locks apart from anyone else's in the same database. The lock is
 * (class, dataset id): lib/derive/sql/left-behind.sql looks for it in pg_locks in that form.
 */
export const DATASET_LOCK_CLASS = 0x454e554d

/**
 * Makes everything that writes a dataset's events or derived findings take turns: imports,
 * recomputes (lib/derive/recompute.ts: after imports, settings changes, retries, at start),
 * settings changes and suppression changes. Without it two of them compute findings from
 * different snapshots and the one committing last silently undoes the other's (a suppression
 * applied to findings a recompute then replaced, campaigns numbered twice), and a recompute
 * could clear the "to recompute" range of an import it never saw.
 * Transaction-scoped and re-entrant.
 */
export async function lockDataset(db: ClientBase, datasetId: number): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock($1, $2)', [DATASET_LOCK_CLASS, datasetId])
}
