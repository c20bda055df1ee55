import { z } from 'zod'
import type { Prisma } from '@/lib/generated/prisma/client'
import type { Actor } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { getPrisma } from '@/lib/db/database'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { RequestError } from '@/lib/errors'
import { liveStreamLeases } from './connector-lease'
import { CONNECTOR_KINDS, parseSettings, type ConnectorKind } from './connector-settings'
import { decryptSecret, encryptSecret } from './secrets'

/** Connectors as the admin pages and the API see them: never with their secret. */
export interface ConnectorSummary {
  id: number
  name: string
  kind: ConnectorKind
  datasetId: number
  datasetName: string
  settings: Record<string, string>
  hasSecret: boolean
  enabled: boolean
  scheduleMinutes: number | null
  sliceMinutes: number
  initialLookbackHours: number
  watermark: string | null
  lastRunAt: string | null
  lastSuccessAt: string | null
  lastError: string | null
  running: boolean
}

export const connectorInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(CONNECTOR_KINDS),
  dataset: z.string().trim().min(1).max(200),
  settings: z.record(z.string(), z.string()),
  /** Empty or absent when editing: keep the stored secret. */
  secret: z.string().max(4000).optional(),
  enabled: z.boolean().default(true),
  scheduleMinutes: z.number().int().min(5).max(7 * 24 * 60).nullable().default(null),
  sliceMinutes: z.number().int().min(5).max(24 * 60).default(60),
  initialLookbackHours: z.number().int().min(1).max(24 * 90).default(168),
})

export type ConnectorInput = z.input<typeof connectorInputSchema>

type Row = Prisma.ConnectorGetPayload<{ include: { dataset: { select: { name: true } } } }>

function toSummary(c: Row, live: Set<number>): ConnectorSummary {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    datasetId: c.datasetId,
    datasetName: c.dataset.name,
    settings: c.settings as Record<string, string>,
    hasSecret: c.secretCiphertext !== null,
    enabled: c.enabled,
    scheduleMinutes: c.scheduleMinutes,
    sliceMinutes: c.sliceMinutes,
    initialLookbackHours: c.initialLookbackHours,
    watermark: c.watermark?.toISOString() ?? null,
    lastRunAt: c.lastRunAt?.toISOString() ?? null,
    lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
    lastError: c.lastError,
    // Held by a live run: a lease whose process is gone does not count (it is taken over).
    running: c.lockedUntil !== null && c.lockedUntil.getTime() > Date.now() && live.has(c.id),
  }
}

function validSettings(kind: ConnectorKind, settings: unknown): Record<string, string> {
  const parsed = z.object({}).passthrough().safeParse(settings)
  if (!parsed.success) throw new RequestError(400, 'settings must be an object')
  try {
    return parseSettings(kind, settings) as Record<string, string>
  } catch (error) {
    if (error instanceof z.ZodError) throw new RequestError(400, `settings: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    throw error
  }
}

export async function listConnectors(): Promise<ConnectorSummary[]> {
  const prisma = await getPrisma()
  const rows = await prisma.connector.findMany({ orderBy: { name: 'asc' }, include: { dataset: { select: { name: true } } } })
  const live = await liveStreamLeases(rows.map((r) => r.id))
  return rows.map((row) => toSummary(row, live))
}

export async function getConnector(id: number): Promise<ConnectorSummary | null> {
  const prisma = await getPrisma()
  const row = await prisma.connector.findUnique({ where: { id }, include: { dataset: { select: { name: true } } } })
  return row ? toSummary(row, await liveStreamLeases([row.id])) : null
}

/** The stored secret, decrypted, for the runner and for testing a saved connector. */
export async function connectorSecret(id: number): Promise<string> {
  const prisma = await getPrisma()
  const row = await prisma.connector.findUnique({ where: { id }, select: { secretCiphertext: true } })
  if (!row?.secretCiphertext) throw new RequestError(400, 'this connector has no secret yet')
  return decryptSecret(row.secretCiphertext)
}

export async function createConnector(input: ConnectorInput, actor: Actor): Promise<ConnectorSummary> {
  const data = connectorInputSchema.parse(input)
  const secret = data.secret
  if (!secret) throw new RequestError(400, 'a new connector needs its secret (client secret or API token)')
  const settings = validSettings(data.kind, data.settings)
  const prisma = await getPrisma()
  if (await prisma.connector.findUnique({ where: { name: data.name } })) throw new RequestError(409, `a connector named ${data.name} exists`)
  const dataset = await findOrCreateDataset(data.dataset, 'connector')
  return prisma.$transaction(async (tx) => {
    const row = await tx.connector.create({
      data: {
        name: data.name,
        kind: data.kind,
        datasetId: dataset.id,
        settings,
        secretCiphertext: encryptSecret(secret),
        enabled: data.enabled,
        scheduleMinutes: data.scheduleMinutes,
        sliceMinutes: data.sliceMinutes,
        initialLookbackHours: data.initialLookbackHours,
      },
      include: { dataset: { select: { name: true } } },
    })
    const summary = toSummary(row, new Set())
    await recordAudit(tx, actor, 'connector.create', { type: 'connector', id: row.id }, null, { ...auditView(summary), secret: 'set' })
    return summary
  })
}

export async function updateConnector(id: number, input: ConnectorInput, actor: Actor): Promise<ConnectorSummary> {
  const data = connectorInputSchema.parse(input)
  const before = await getConnector(id)
  if (!before) throw new RequestError(404, `no connector ${id}`)
  if (before.kind !== data.kind) throw new RequestError(400, 'the kind of a connector cannot change; create a new one')
  const settings = validSettings(data.kind, data.settings)
  const prisma = await getPrisma()
  const dataset = await findOrCreateDataset(data.dataset, 'connector')
  const leases = await liveStreamLeases([id])
  return prisma.$transaction(async (tx) => {
    const row = await tx.connector.update({
      where: { id },
      data: {
        name: data.name,
        datasetId: dataset.id,
        settings,
        ...(data.secret ? { secretCiphertext: encryptSecret(data.secret) } : {}),
        enabled: data.enabled,
        scheduleMinutes: data.scheduleMinutes,
        sliceMinutes: data.sliceMinutes,
        initialLookbackHours: data.initialLookbackHours,
        // Pulling into another dataset starts from the beginning there.
        ...(dataset.id !== before.datasetId ? { watermark: null } : {}),
      },
      include: { dataset: { select: { name: true } } },
    })
    const after = toSummary(row, leases)
    await recordAudit(tx, actor, 'connector.update', { type: 'connector', id }, auditView(before), { ...auditView(after), ...(data.secret ? { secret: 'replaced' } : {}) })
    return after
  })
}

export async function deleteConnector(id: number, actor: Actor): Promise<void> {
  const before = await getConnector(id)
  if (!before) throw new RequestError(404, `no connector ${id}`)
  const prisma = await getPrisma()
  await prisma.$transaction(async (tx) => {
    await tx.connector.delete({ where: { id } })
    await recordAudit(tx, actor, 'connector.delete', { type: 'connector', id }, auditView(before), null)
  })
}

/** What the audit trail keeps of a connector: its configuration, never the secret. */
function auditView(c: ConnectorSummary) {
  return { name: c.name, kind: c.kind, dataset: c.datasetName, settings: c.settings, enabled: c.enabled, scheduleMinutes: c.scheduleMinutes, sliceMinutes: c.sliceMinutes }
}
