import type { PoolClient } from 'pg'
import { z } from 'zod'
import { actorLabel, type Actor } from '@/lib/auth/actor'
import { lockDataset } from '@/lib/datasets/dataset-lock'
import { applySuppressions } from '@/lib/derive/detectors'
import { getPool } from '@/lib/db/database'
import { parseCidr } from '@/lib/ips/cidr'
import type { SuppressionRuleSpec } from '@/lib/detection/extended-settings'
import { RequestError } from '@/lib/errors'
import { sqlFile } from '@/lib/sql-file'
import { idSchema, isoTimeSchema } from '@/lib/http/edge-input'

/**
 * Suppression rules leads manage: a known-benign source (CIDR, UPN pattern, user agent, app)
 * with a reason, an owner and an expiry. Suppressed findings are kept and shown under a
 * filter; every change to a rule is audited and re-applied to the findings at once.
 */

function cidr(value: string): string {
  const range = parseCidr(value)
  if (!range) throw new RequestError(400, `not an IP range: ${value.trim().slice(0, 60)} (e.g. 203.0.113.0/24 or 2001:db8::/48)`)
  return range.text
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null))

/** Kept beside the schema rather than read from SUPPRESSION_TEMPLATES, which is typed from it. */
const TEMPLATES_NEEDING_EXPIRY = new Set(['pen-test'])

/**
 * What a rule matches on, read the same way for its preview (lib/tuning/suppression-preview.ts)
 * and for saving it: the preview shows what the saved rule will hide.
 */
export const suppressionCriteriaShape = {
  datasetId: idSchema.nullable().default(null),
  cidr: optionalText(60).transform((v) => (v ? cidr(v) : null)),
  upnPattern: optionalText(300),
  userAgentPattern: optionalText(1000),
  appName: optionalText(300),
  expiresAt: isoTimeSchema.nullable().default(null),
}

export const suppressionInputSchema = z
  .object({
    ...suppressionCriteriaShape,
    name: z.string().trim().min(1).max(120),
    reason: z.string().trim().min(1, 'say why this source is benign').max(2000),
    ownerId: idSchema.nullable().default(null),
    enabled: z.boolean().default(true),
    template: optionalText(60),
    /** The lead saw, in the preview, that the rule hides a Critical finding, and means it. Not stored. */
    hideCritical: z.boolean().default(false),
  })
  .refine((r) => r.cidr || r.upnPattern || r.userAgentPattern || r.appName, { message: 'a rule needs at least one of: CIDR, UPN pattern, user agent, app' })
  // An engagement ends; a rule without an end keeps hiding that range from whoever attacks from it
  // next. Only an active rule is held to it, so a lead can still switch off an old rule made before
  // this was enforced without having to invent an expiry for it.
  .refine((r) => !(r.template !== null && TEMPLATES_NEEDING_EXPIRY.has(r.template) && r.enabled && r.expiresAt === null), {
    message: 'a penetration-test rule needs an expiry: the end of the engagement',
    path: ['expiresAt'],
  })

export type SuppressionInput = z.input<typeof suppressionInputSchema>

export interface SuppressionTemplate {
  id: string
  name: string
  description: string
  /** The form marks the expiry required; the schema above refuses an active rule without one. */
  requiresExpiry: boolean
  fields: Partial<SuppressionInput>
}

/** Starting points for the rule's known false positives (docs/reference/reference-rule.md). */
export const SUPPRESSION_TEMPLATES: SuppressionTemplate[] = (
  [
    {
      id: 'entra-connect',
      name: 'Entra Connect / hybrid-join server',
      description: 'The sync server validates many accounts in its sync window. Enter its address; the sign-ins come from its own service, often without a browser user agent.',
      fields: { name: 'Entra Connect server', cidr: '', userAgentPattern: '', reason: 'Entra Connect sync server validating accounts during its sync window' },
    },
    {
      id: 'pen-test',
      name: 'Authorised penetration test',
      description: "The tester's range for the engagement window. The expiry is required: the end of the engagement.",
      fields: { name: 'Penetration test', cidr: '', reason: 'Authorised penetration test (engagement reference …)', expiresAt: null },
    },
    {
      id: 'identity-governance',
      name: 'Identity-governance / access-review sweep',
      description: "The platform's fixed service IP and the accounts it sweeps (e.g. service accounts by pattern).",
      fields: { name: 'Access-review platform', cidr: '', upnPattern: '', reason: 'Identity-governance platform sweeping accounts for access certification' },
    },
  ] satisfies Omit<SuppressionTemplate, 'requiresExpiry'>[]
).map((t) => ({ ...t, requiresExpiry: TEMPLATES_NEEDING_EXPIRY.has(t.id) }))

interface RuleRow {
  id: number
  name: string
  dataset_id: number | null
  cidr: string | null
  upn_pattern: string | null
  user_agent_pattern: string | null
  app_name: string | null
  reason: string
  owner_email: string | null
  owner_id: number | null
  expires_at: Date | null
  enabled: boolean
  template: string | null
  suppressed_findings: number
}

export interface SuppressionRuleSummary extends SuppressionRuleSpec {
  ownerId: number | null
  template: string | null
  suppressedFindings: number
  expired: boolean
}

function toSummary(r: RuleRow): SuppressionRuleSummary {
  return {
    id: r.id,
    name: r.name,
    datasetId: r.dataset_id,
    cidr: r.cidr,
    upnPattern: r.upn_pattern,
    userAgentPattern: r.user_agent_pattern,
    appName: r.app_name,
    reason: r.reason,
    ownerEmail: r.owner_email,
    ownerId: r.owner_id,
    expiresAt: r.expires_at?.toISOString() ?? null,
    enabled: r.enabled,
    template: r.template,
    suppressedFindings: Number(r.suppressed_findings),
    expired: r.expires_at !== null && r.expires_at.getTime() <= Date.now(),
  }
}

export async function listSuppressions(datasetId: number | null = null, db?: PoolClient): Promise<SuppressionRuleSummary[]> {
  const { rows } = await (db ?? (await getPool())).query<RuleRow>(sqlFile('tuning/sql/list-suppressions.sql'), [datasetId])
  return rows.map(toSummary)
}

export async function getSuppression(id: number, db?: PoolClient): Promise<SuppressionRuleSummary | null> {
  return (await listSuppressions(null, db)).find((r) => r.id === id) ?? null
}

/** The change's audit entry, on the change's own connection: it commits with the change. */
async function audit(db: PoolClient, actor: Actor, action: string, id: number, before: SuppressionRuleSummary | null, after: SuppressionRuleSummary | null): Promise<void> {
  const json = (value: SuppressionRuleSummary | null) => (value === null ? null : JSON.stringify(value))
  await db.query(sqlFile('tuning/sql/audit-suppression.sql'), [actor.user.id, actorLabel(actor), action, String(id), json(before), json(after)])
}

/** How long a rule change waits, in all, for imports or recomputations of the datasets it touches. */
const DATASET_BUSY_TIMEOUT_MS = 15_000

/** A rule change: the rule (null for a new one), the dataset it will cover, and the write. */
interface RuleChange<T> {
  ruleId: number | null
  /** The dataset the rule covers after the change (null: all); undefined when it is deleted. */
  datasetId?: number | null
  write: (db: PoolClient) => Promise<T>
  /** After the rules are re-applied, still inside the transaction (checks, the audit entry): throwing undoes the change. */
  afterApply?: (db: PoolClient, written: T) => Promise<void>
}

/**
 * Runs a rule change and re-applies the rules to the datasets it can touch, in one transaction
 * that holds each dataset's lock: an import or settings change recomputing the same findings at
 * the same time would otherwise overwrite what was applied. The locks come first, in id order:
 * a change made before them (a delete setting findings' suppressed_by_id to NULL) would hold
 * row locks an import needs while waiting for the import's lock, and the import would be the
 * transaction PostgreSQL aborts. A change that cannot get its locks in time is refused, rather
 * than holding a request, and the locks it already has, for the length of a large import.
 */
async function changeAndReapply<T>(change: RuleChange<T>): Promise<T> {
  const pool = await getPool()
  const client = await pool.connect()
  const deadline = Date.now() + DATASET_BUSY_TIMEOUT_MS
  const waitAtMost = () => client.query(`SET LOCAL lock_timeout = ${Math.max(1, deadline - Date.now())}`)
  try {
    await client.query('BEGIN')
    let scope = change.datasetId ?? null
    if (change.ruleId !== null) {
      await waitAtMost()
      const { rows } = await client.query<{ dataset_id: number | null }>(sqlFile('tuning/sql/lock-suppression.sql'), [change.ruleId])
      if (!rows.length) throw new RequestError(404, `no suppression rule ${change.ruleId}`)
      const now = rows[0].dataset_id
      // A rule moving between datasets (or to or from all of them) touches both sides.
      scope = change.datasetId === undefined ? now : now === change.datasetId ? now : null
    }
    const { rows: datasets } = await client.query<{ id: number; name: string }>(sqlFile('tuning/sql/rule-datasets.sql'), [scope])
    for (const dataset of datasets) {
      try {
        await waitAtMost()
        await lockDataset(client, dataset.id)
      } catch (error) {
        if ((error as { code?: string }).code !== '55P03') throw error
        throw new RequestError(409, `dataset “${dataset.name}” is being imported or recomputed; the rule was not saved, try again when that finishes`)
      }
    }
    await client.query('SET LOCAL lock_timeout = DEFAULT')
    const result = await change.write(client)
    // Only the suppressions step of the recompute: the rest cannot depend on the rules.
    for (const { id } of datasets) await applySuppressions(client, id)
    await change.afterApply?.(client, result)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
}

async function write(id: number | null, input: SuppressionInput, actor: Actor): Promise<SuppressionRuleSummary> {
  const rule = suppressionInputSchema.parse(input)
  const values = [rule.name, rule.datasetId, rule.cidr, rule.upnPattern, rule.userAgentPattern, rule.appName, rule.reason, rule.ownerId ?? actor.user.id, rule.expiresAt, rule.enabled, rule.template]
  const before = id === null ? null : await getSuppression(id)
  if (id !== null && !before) throw new RequestError(404, `no suppression rule ${id}`)
  let after: SuppressionRuleSummary | null = null
  await changeAndReapply({
    ruleId: id,
    datasetId: rule.datasetId,
    write: async (db) => {
      const { rows } =
        id === null
          ? await db.query<{ id: number }>(sqlFile('tuning/sql/insert-suppression.sql'), [...values, actor.user.id])
          : await db.query<{ id: number }>(sqlFile('tuning/sql/update-suppression.sql'), [...values, id])
      return rows[0].id
    },
    // A probed password proved right from a "known-benign" source is the one thing such a rule
    // should not hide unseen: whoever saves it (the form, after its preview, or an API caller)
    // says so, and the count is of what the saved rule really hides, not of a preview.
    afterApply: async (db, savedId) => {
      if (!rule.hideCritical) {
        const { rows } = await db.query<{ critical: number }>(sqlFile('tuning/sql/rule-hides-critical.sql'), [savedId])
        const n = rows[0].critical
        if (n > 0)
          throw new RequestError(
            409,
            `this rule would hide ${n} Critical finding${n === 1 ? '' : 's'} (a probed password proved right from that source); nothing was saved. Check ${n === 1 ? 'it' : 'them'} first, or send hideCritical: true`,
          )
      }
      after = (await getSuppression(savedId, db))!
      await audit(db, actor, id === null ? 'suppression.create' : 'suppression.update', savedId, before, after)
    },
  })
  return after!
}

export function createSuppression(input: SuppressionInput, actor: Actor) {
  return write(null, input, actor)
}

export function updateSuppression(id: number, input: SuppressionInput, actor: Actor) {
  return write(id, input, actor)
}

export async function deleteSuppression(id: number, actor: Actor): Promise<void> {
  const before = await getSuppression(id)
  if (!before) throw new RequestError(404, `no suppression rule ${id}`)
  await changeAndReapply({
    ruleId: id,
    write: (db) => db.query(sqlFile('tuning/sql/delete-suppression.sql'), [id]),
    afterApply: (db) => audit(db, actor, 'suppression.delete', id, before, null),
  })
}
