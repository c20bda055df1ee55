import type { ClientBase } from 'pg'
import type { Prisma } from '@/lib/generated/prisma/client'
import { getPrisma } from '@/lib/db/database'
import { sqlFile } from '@/lib/sql-file'
import { actorLabel, type Actor } from './actor'

/** One entry of the append-only audit trail: who did what to which thing, before and after. */
export interface AuditEntry {
  id: string
  at: string
  actorId: number | null
  actorLabel: string
  action: string
  entityType: string
  entityId: string
  before: unknown
  after: unknown
}

type Db = Pick<Prisma.TransactionClient, 'auditEvent'>

/** What an entry says: who, what, to which thing, before and after (null: nothing to say). */
function auditEntry(actor: Actor | { system: string }, action: string, entity: { type: string; id: string | number }, before: unknown, after: unknown) {
  return {
    actorId: 'system' in actor ? null : actor.user.id,
    actorLabel: 'system' in actor ? actor.system : actorLabel(actor),
    action,
    entityType: entity.type,
    entityId: String(entity.id),
    before: before ?? null,
    after: after ?? null,
  }
}

export async function recordAudit(
  db: Db,
  actor: Actor | { system: string },
  action: string,
  entity: { type: string; id: string | number },
  before: unknown,
  after: unknown,
): Promise<void> {
  const entry = auditEntry(actor, action, entity, before, after)
  await db.auditEvent.create({
    data: {
      ...entry,
      before: entry.before === null ? undefined : (entry.before as Prisma.InputJsonValue),
      after: entry.after === null ? undefined : (entry.after as Prisma.InputJsonValue),
    },
  })
}

/** recordAudit on a `pg` connection: for changes made in SQL, inside their transaction. */
export async function recordAuditOn(
  client: ClientBase,
  actor: Actor | { system: string },
  action: string,
  entity: { type: string; id: string | number },
  before: unknown,
  after: unknown,
): Promise<void> {
  const entry = auditEntry(actor, action, entity, before, after)
  await client.query(sqlFile('auth/sql/insert-audit-event.sql'), [
    entry.actorId,
    entry.actorLabel,
    entry.action,
    entry.entityType,
    entry.entityId,
    entry.before === null ? null : JSON.stringify(entry.before),
    entry.after === null ? null : JSON.stringify(entry.after),
  ])
}

export async function auditTrail(entityType: string, entityId: string | number): Promise<AuditEntry[]> {
  const prisma = await getPrisma()
  const rows = await prisma.auditEvent.findMany({ where: { entityType, entityId: String(entityId) }, orderBy: [{ at: 'asc' }, { id: 'asc' }] })
  return rows.map((r) => ({
    id: String(r.id),
    at: r.at.toISOString(),
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    before: r.before,
    after: r.after,
  }))
}
