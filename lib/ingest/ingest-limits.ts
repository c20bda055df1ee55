import { NotASignInLogError } from './types'

/**
 * Caps on what one record of an input may be, so a hostile or broken file (a 200 MB user agent,
 * a line of a million columns) costs bounded memory: the record is rejected with its line and
 * the reason, the rest of the file is read. Configurable by environment (README "Configuration").
 */
export interface IngestLimits {
  /** Longest line of JSON Lines, CSV record (with its quoted line breaks) or JSON document element. */
  maxRecordBytes: number
  /** Longest CSV cell, and longest value stored for an event (user name, user agent, app, …), in characters. */
  maxFieldChars: number
  /** Most CSV columns. */
  maxColumns: number
}

const MiB = 1024 * 1024

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxRecordBytes: 8 * MiB, maxFieldChars: 1 * MiB, maxColumns: 1000 }

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isInteger(value) && value > 0 ? value : fallback
}

/** Read once per file (not per record: the environment is slow to read). */
export function ingestLimits(): IngestLimits {
  return {
    maxRecordBytes: positive('ET_INGEST_MAX_RECORD_BYTES', DEFAULT_INGEST_LIMITS.maxRecordBytes),
    maxFieldChars: positive('ET_INGEST_MAX_FIELD_CHARS', DEFAULT_INGEST_LIMITS.maxFieldChars),
    maxColumns: positive('ET_INGEST_MAX_COLUMNS', DEFAULT_INGEST_LIMITS.maxColumns),
  }
}

export function recordTooLong(bytes: number, limits: IngestLimits, what = 'record'): string {
  return `${what} longer than ${limits.maxRecordBytes} bytes (${bytes >= limits.maxRecordBytes ? 'at least ' : ''}${bytes} bytes; limit ET_INGEST_MAX_RECORD_BYTES): not read`
}

/** A header (or a whole JSON document's structure) beyond the limits: nothing of the file can be read. */
export class InputLimitError extends NotASignInLogError {}
