import { PASSWORD_RIGHT_CODES } from '@/lib/detection/extended-settings'
import { field, type RollupCell } from './hourly-rollup'

const CODES = new Set<string>(PASSWORD_RIGHT_CODES)
// Never inside a value: an IP address has none, and a user name has had its NUL characters
// removed (lib/ingest/normalise.ts).
const SEP = '\u0000'
/** Pairs held before they are sent: ~100 bytes each in the Map, whatever the file's size. */
const MAX_HELD = 50_000

/**
 * A copy of `text` that holds nothing else. A name read from a CSV file is a slice of the decoded
 * chunk it came from, which V8 keeps whole while the slice lives: held here for a whole import,
 * the names kept every chunk of the file alive (the 10 M bench's import peaked at 342 MB against
 * 279 MB).
 */
function fresh(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}

/**
 * The import's first "password right" time per address and username (what sign_in_first_rights
 * keeps), gathered from the rollup cells as they go to the database and sent once at the import's
 * end (sql/merge-first-rights.sql), or whenever MAX_HELD pairs are held. Sent with each hour's
 * rollup rows instead, the same users' pairs were looked up again hour after hour: ~25 ms an hour,
 * 5 % of a 10 M ingest (docs/benchmarks.md).
 */
export class FirstRights {
  private readonly first = new Map<string, number>()

  /** Adds the cells with a "password right" code; true when it holds enough to be sent. */
  add(cells: readonly RollupCell[]): boolean {
    const first = this.first
    for (const c of cells) {
      if (!CODES.has(c.code)) continue
      const key = c.ip + SEP + c.upn
      const known = first.get(key)
      if (known === undefined) first.set(fresh(key), c.first)
      else if (c.first < known) first.set(key, c.first)
    }
    return first.size >= MAX_HELD
  }

  get size(): number {
    return this.first.size
  }

  /** The pairs held, as COPY text lines for ingest_first_rights_staging, and forgets them. */
  take(): string[] {
    const lines: string[] = []
    for (const [key, time] of this.first) {
      const at = key.indexOf(SEP)
      lines.push(key.slice(0, at) + '\t' + field(key.slice(at + 1)) + '\t' + new Date(time).toISOString() + '\n')
    }
    this.first.clear()
    return lines
  }
}

/** ingest_first_rights_staging columns, as FirstRights.take() writes them (sql/create-staging.sql). */
export const FIRST_RIGHTS_STAGING_COLUMNS = ['ip_address', 'user_principal_name', 'first_seen'] as const
