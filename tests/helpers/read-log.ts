import { decodeInput, type DecodeOptions } from '@/lib/ingest/byte-source'
import { openSignInLog } from '@/lib/ingest/open-log'
import { isUnreadable } from '@/lib/ingest/readers/read-item'
import type { FormatId, NormalisedEvent } from '@/lib/ingest/types'

/**
 * Reads content the way the pipeline does (decode → sniff → read → normalise), without a
 * database: what each format module makes of a file.
 */
export interface ReadLog {
  format: FormatId
  events: NormalisedEvent[]
  /** Records read but not usable, with where they were. */
  rejected: { position: number; reason: string; fatal: boolean }[]
  skipped: number
}

export async function readLog(content: string | Buffer | Buffer[], fileName = 'upload.dat', options: DecodeOptions = {}): Promise<ReadLog> {
  const chunks = Array.isArray(content) ? content : [Buffer.isBuffer(content) ? content : Buffer.from(content)]
  async function* source() {
    yield* chunks
  }
  const decoded = await decodeInput(source(), options)
  const log = await openSignInLog(decoded, fileName)
  const normalise = log.format.normaliser(log.context)
  const result: ReadLog = { format: log.format.id, events: [], rejected: [], skipped: 0 }
  for await (const item of log.records) {
    if (isUnreadable(item)) {
      result.rejected.push({ position: item.position, reason: item.error, fatal: item.fatal === true })
      continue
    }
    const normalised = normalise(item.record)
    if (normalised.kind === 'event') result.events.push(normalised.event)
    else if (normalised.kind === 'skipped') result.skipped++
    else result.rejected.push({ position: item.position, reason: normalised.reason, fatal: false })
  }
  return result
}

/** The one event a single-record file gives. */
export async function readOne(content: string | Buffer, fileName?: string): Promise<NormalisedEvent> {
  const log = await readLog(content, fileName)
  if (log.events.length !== 1) throw new Error(`expected one event, got ${log.events.length} (rejected: ${JSON.stringify(log.rejected)})`)
  return log.events[0]
}

/** A CSV line with every cell quoted, as the Entra portal writes them. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')
}

/** Builds a CSV from a header and rows given as objects keyed by header name (missing cells empty). */
export function csv(header: readonly string[], rows: readonly Record<string, string>[], eol = '\r\n'): string {
  return [csvLine(header), ...rows.map((row) => csvLine(header.map((name) => row[name] ?? '')))].join(eol) + eol
}

export const iso = (time: number) => new Date(time).toISOString()
