import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { recordAudit } from '@/lib/auth/audit'
import { getPrisma } from '@/lib/db/database'
import { RequestError } from '@/lib/errors'
import { allowedHosts, CONNECTOR_KINDS, parseSettings, type ConnectorKind } from './connector-settings'
import { connectorSecret } from './connector-store'
import { fetcherFor } from './fetcher-registry'
import type { ConnectionTest } from './slice-fetcher'
import { idSchema } from '@/lib/http/edge-input'

export const connectionTestSchema = z.object({
  kind: z.enum(CONNECTOR_KINDS),
  settings: z.record(z.string(), z.string()),
  /** The secret typed in the form; absent: the stored secret of `connectorId`. */
  secret: z.string().max(4000).optional(),
  connectorId: idSchema.optional(),
})

/** The settings that say where requests (and with them the secret) go. */
const ENDPOINT_SETTINGS = ['authorityUrl', 'graphUrl', 'apiUrl', 'baseUrl']

/**
 * "Test connection": the configuration as it is in the form, against the real service. The
 * saved secret is only ever sent where the saved connector sends it: a test with other endpoints
 * (or another kind) needs the secret typed again, so nobody can have the app deliver a stored
 * secret to a host of their choosing. Every test is audited: who, which connector, where, result.
 */
export async function testConnection(input: z.input<typeof connectionTestSchema>, actor: Actor): Promise<ConnectionTest> {
  const data = connectionTestSchema.parse(input)
  const prisma = await getPrisma()
  const audit = async (outcome: { ok: boolean; message: string }, settings: Record<string, string> | null, secret: 'typed' | 'stored' | 'none') => {
    await recordAudit(prisma, actor, 'connector.test', { type: 'connector', id: data.connectorId ?? 'unsaved' }, null, {
      kind: data.kind,
      endpoints: settings ? [...allowedHosts(data.kind, settings)] : null,
      secret,
      ok: outcome.ok,
      message: outcome.message.slice(0, 500),
    })
  }
  let settings: Record<string, string>
  try {
    settings = parseSettings(data.kind, data.settings) as Record<string, string>
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error
    const outcome = { ok: false, message: `settings: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` }
    await audit(outcome, null, data.secret ? 'typed' : 'none')
    return outcome
  }
  let secret = data.secret || null
  if (!secret && data.connectorId) {
    const stored = await prisma.connector.findUnique({ where: { id: data.connectorId }, select: { kind: true, settings: true } })
    if (!stored) throw new RequestError(404, `no connector ${data.connectorId}`)
    const changed = changedEndpoints(stored.kind as ConnectorKind, stored.settings, data.kind, settings)
    if (changed.length) {
      const message = `${changed.join(', ')} differ${changed.length === 1 ? 's' : ''} from the saved connector: type the secret again to test other endpoints (the saved secret is only sent to the saved ones)`
      await audit({ ok: false, message: `refused: ${message}` }, settings, 'none')
      throw new RequestError(400, message)
    }
    secret = await connectorSecret(data.connectorId)
  }
  if (!secret) throw new RequestError(400, 'enter the secret to test the connection')
  let outcome: ConnectionTest
  try {
    outcome = await fetcherFor(data.kind).testConnection({ settings, secret, http: { allowedHosts: allowedHosts(data.kind, settings), maxRetries: 2, timeoutMs: 30_000 } })
  } catch (error) {
    outcome = { ok: false, message: (error as Error).message }
  }
  await audit(outcome, settings, data.secret ? 'typed' : 'stored')
  return outcome
}

/** Endpoint settings of the form that are not the saved connector's (all of them when the kind differs). */
function changedEndpoints(storedKind: ConnectorKind, storedSettings: unknown, kind: ConnectorKind, settings: Record<string, string>): string[] {
  if (storedKind !== kind) return ['the kind']
  let saved: Record<string, string>
  try {
    saved = parseSettings(storedKind, storedSettings) as Record<string, string>
  } catch {
    return ['the endpoints']
  }
  return ENDPOINT_SETTINGS.filter((name) => (name in saved || name in settings) && saved[name] !== settings[name])
}
