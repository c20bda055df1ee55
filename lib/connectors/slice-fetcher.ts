import type { ConnectorKind } from './connector-settings'
import type { HttpOptions } from './http-client'

/** A time slice [from, to) of sign-ins to fetch. */
export interface Slice {
  from: Date
  to: Date
}

export interface FetchContext {
  settings: Record<string, string>
  secret: string
  http: HttpOptions
  /** Pages (or result sets) fetched and records in them so far, for progress. */
  onProgress?: (progress: { pages: number; records: number }) => void
}

export interface ConnectionTest {
  ok: boolean
  /** What was checked, or exactly what failed (bad secret, missing permission, non-premium tenant…). */
  message: string
}

/**
 * One kind of source. `fetchSlice` streams the slice's sign-in records as JSON Lines (one
 * record per line, in a shape the ingest pipeline recognises: Graph objects, Log Analytics rows,
 * LogScale events), so connectors and file uploads share the same pipeline.
 */
export interface SliceFetcher {
  kind: ConnectorKind
  fetchSlice(slice: Slice, context: FetchContext): AsyncIterable<Buffer>
  testConnection(context: FetchContext): Promise<ConnectionTest>
}
