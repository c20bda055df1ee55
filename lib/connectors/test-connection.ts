import { z } from 'zod'
import { RequestError } from '@/lib/errors'
import { allowedHosts, CONNECTOR_KINDS, parseSettings } from './connector-settings'
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

/** "Test connection": the configuration as it is in the form, against the real service. */
export async function testConnection(input: z.input<typeof connectionTestSchema>): Promise<ConnectionTest> {
  const data = connectionTestSchema.parse(input)
  let settings: Record<string, string>
  try {
    settings = parseSettings(data.kind, data.settings) as Record<string, string>
  } catch (error) {
    if (error instanceof z.ZodError) return { ok: false, message: `settings: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` }
    throw error
  }
  const secret = data.secret || (data.connectorId ? await connectorSecret(data.connectorId) : null)
  if (!secret) throw new RequestError(400, 'enter the secret to test the connection')
  try {
    return await fetcherFor(data.kind).testConnection({ settings, secret, http: { allowedHosts: allowedHosts(data.kind, settings), maxRetries: 2, timeoutMs: 30_000 } })
  } catch (error) {
    return { ok: false, message: (error as Error).message }
  }
}
