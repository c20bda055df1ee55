import { z } from 'zod'

/**
 * What each kind of connector needs besides its secret, with the public endpoints as defaults.
 * The endpoints are settings (sovereign clouds, a LogScale cluster's URL) and they are the only
 * hosts a connector may contact.
 */
export const CONNECTOR_KINDS = ['graph', 'log_analytics', 'logscale'] as const
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number]

export const CONNECTOR_LABELS: Record<ConnectorKind, string> = {
  graph: 'Microsoft Graph sign-in logs (beta)',
  log_analytics: 'Azure Log Analytics (SigninLogs + AADNonInteractiveUserSignInLogs)',
  logscale: 'CrowdStrike Falcon LogScale',
}

const guid = z.string().trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a GUID')
const tenant = z.string().trim().min(1).max(200) // a GUID or a verified domain
const endpoint = z
  .string()
  .trim()
  .url()
  // Only https (http too for tests against local fakes); never file:, ftp: or any other scheme.
  .refine((u) => /^https:\/\//i.test(u) || (/^http:\/\//i.test(u) && process.env.ET_CONNECTORS_ALLOW_HTTP === '1'), 'must be https')
  .transform((u) => u.replace(/\/+$/, ''))

export const graphSettingsSchema = z.object({
  tenantId: tenant,
  clientId: guid,
  authorityUrl: endpoint.default('https://login.microsoftonline.com'),
  graphUrl: endpoint.default('https://graph.microsoft.com'),
})

export const logAnalyticsSettingsSchema = z.object({
  tenantId: tenant,
  clientId: guid,
  workspaceId: guid,
  authorityUrl: endpoint.default('https://login.microsoftonline.com'),
  apiUrl: endpoint.default('https://api.loganalytics.azure.com'),
})

export const logscaleSettingsSchema = z.object({
  baseUrl: endpoint,
  repository: z.string().trim().min(1).max(200).regex(/^[\w.-]+$/, 'letters, digits, dot, dash and underscore'),
})

export type GraphSettings = z.infer<typeof graphSettingsSchema>
export type LogAnalyticsSettings = z.infer<typeof logAnalyticsSettingsSchema>
export type LogScaleSettings = z.infer<typeof logscaleSettingsSchema>

export const SETTINGS_SCHEMAS = {
  graph: graphSettingsSchema,
  log_analytics: logAnalyticsSettingsSchema,
  logscale: logscaleSettingsSchema,
} as const

export type SettingsOf<K extends ConnectorKind> = z.infer<(typeof SETTINGS_SCHEMAS)[K]>

export function parseSettings<K extends ConnectorKind>(kind: K, value: unknown): SettingsOf<K> {
  return SETTINGS_SCHEMAS[kind].parse(value) as SettingsOf<K>
}

/** The only hosts a connector's requests may go to. */
export function allowedHosts(kind: ConnectorKind, settings: Record<string, string>): Set<string> {
  const urls = kind === 'graph' ? [settings.authorityUrl, settings.graphUrl] : kind === 'log_analytics' ? [settings.authorityUrl, settings.apiUrl] : [settings.baseUrl]
  return new Set(urls.map((u) => new URL(u).host))
}

/** Sign-ins reach each service with some delay; a slice is fetched only once it has settled. */
export const INGESTION_LAG_MINUTES: Record<ConnectorKind, number> = { graph: 10, log_analytics: 20, logscale: 2 }
