/** A sign-in normalised for storage: one row of sign_in_events. */
export interface NormalisedEvent {
  sourceEventId: string
  /** Epoch milliseconds, UTC. */
  createdAt: number
  userPrincipalName: string
  ipAddress: string | null
  clientAppUsed: string
  userAgent: string
  appDisplayName: string
  appId: string | null
  errorCode: string | null
  failureReason: string | null
  locationCity: string | null
  locationState: string | null
  locationCountry: string | null
  autonomousSystem: number | null
  isInteractive: boolean | null
  /** The original record as JSON text ('' from a fieldNormaliser). */
  raw: string
}

/** What a format makes of one record. */
export type NormaliseResult =
  | { kind: 'event'; event: NormalisedEvent }
  | { kind: 'rejected'; reason: string }
  /** A record the detection does not use (service-principal or managed-identity sign-in). */
  | { kind: 'skipped' }

export type SourceRecord = Record<string, unknown>

/** A source format: knows its records by their fields and turns each into a NormalisedEvent. */
export interface RecordFormat {
  id: FormatId
  /** How the import report names the format. */
  label: string
  /** Prepared once per file (e.g. to resolve CSV columns), then called for every record. */
  normaliser(context: FormatContext): (record: SourceRecord) => NormaliseResult
  /**
   * CSV formats may also read a record's fields by column, without the keyed record: the same
   * result, but `raw` is left empty (the pipeline stores the record's CSV text instead).
   */
  fieldNormaliser?(context: FormatContext): (fields: readonly string[]) => NormaliseResult
}

export interface FormatContext {
  /** From the file name only; portal CSVs of interactive and non-interactive sign-ins have identical headers. */
  interactiveHint: boolean | null
  /** CSV header, as the reader keyed the records. */
  headers?: readonly string[]
}

export type FormatId = 'graph' | 'portal-json' | 'portal-csv' | 'log-analytics-csv' | 'log-analytics-json' | 'diagnostic' | 'logscale'

/** A record read from a file, with where it was. */
export interface PositionedRecord {
  record: SourceRecord
  /** Line number (CSV, JSON Lines) or 1-based record index (JSON documents). */
  position: number
}

export class NotASignInLogError extends Error {}

/** Not a sign-in log as far as the input goes, but the input ended inside the first record. */
export class IncompleteLogError extends NotASignInLogError {}

export class NotApplicableError extends Error {}
