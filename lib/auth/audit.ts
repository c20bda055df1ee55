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

export async function recordAudit(
  db: Db,
  actor: Actor | { system: string },
  action: string,
  entity: { type: string; id: string | number },
  before: unknown,
  after: unknown,
): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: 'system' in actor ? null : actor.user.id,
      actorLabel: 'system' in actor ? actor.system : actorLabel(actor),
      action,
      entityType: entity.type,
      entityId: String(entity.id),
      before: before === undefined || before === null ? undefined : (before as Prisma.InputJsonValue),
      after: after === undefined || after === null ? undefined : (after as Prisma.InputJsonValue),
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
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value))
  await client.query(sqlFile('auth/sql/insert-audit-event.sql'), [
    'system' in actor ? null : actor.user.id,
    'system' in actor ? actor.system : actorLabel(actor),
    action,
    entity.type,
    String(entity.id),
    json(before),
    json(after),
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
