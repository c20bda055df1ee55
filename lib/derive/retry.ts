import type { Actor } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { getPrisma } from '@/lib/db/database'
import { RequestError } from '@/lib/errors'

/**
 * A lead or admin asks for the dataset's findings to be recomputed: a failed recompute is tried
 * again over what it had to do; an up-to-date dataset (or `full`) is recomputed from all its
 * events. Audited in the same transaction as the request; the caller runs the recompute.
 */
export async function requestRecompute(datasetId: number, actor: Actor, options: { full?: boolean } = {}): Promise<{ full: boolean }> {
  const prisma = await getPrisma()
  return prisma.$transaction(async (tx) => {
    const dataset = await tx.dataset.findUnique({ where: { id: datasetId }, select: { id: true, derivedState: true } })
    if (!dataset) throw new RequestError(404, `no dataset ${datasetId}`)
    const state = dataset.derivedState
    const full = options.full === true || !state || state.status === 'current'
    const now = new Date()
    await tx.derivedState.upsert({
      where: { datasetId },
      create: { datasetId, status: 'pending', dirtyFull: full, fullCause: full ? 'retry' : null, requestedAt: now },
      update: full ? { dirtyFull: true, fullCause: state?.fullCause ?? 'retry', requestedAt: now } : { requestedAt: now },
    })
    await recordAudit(tx, actor, 'dataset.recompute', { type: 'dataset', id: datasetId }, state ? { status: state.status, error: state.error } : { status: 'current' }, { full })
    return { full }
  })
}
