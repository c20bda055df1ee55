import type { PositionedRecord } from '../types'

/** A record that could not be read at all (broken CSV row, a JSON Lines line that is not JSON). */
export interface UnreadableRecord {
  position: number
  error: string
  excerpt: string
  /** Nothing after this point of the file can be read (e.g. a JSON syntax error mid-array). */
  fatal?: boolean
  /** The input ended inside a record: a file cut short (or a head read for sniffing). */
  truncated?: boolean
}

export type ReadItem = PositionedRecord | UnreadableRecord

export function isUnreadable(item: ReadItem): item is UnreadableRecord {
  return 'error' in item
}
