import { spawn, spawnSync } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { decodeInput } from '@/lib/ingest/byte-source'
import { openSignInLog } from '@/lib/ingest/open-log'
import { isUnreadable } from '@/lib/ingest/readers/read-item'
import type { NormalisedEvent } from '@/lib/ingest/types'

/**
 * The ingest baseline: the same rows, normalised by the pipeline's own readers and normalisers,
 * loaded by `psql \copy` into a BARE table (the 8 text columns the detection needs, no index, no
 * key, no constraint) of a database of its own. No parsing, no de-duplication, no original
 * record, no rollup: how fast this server takes these rows at all. (Until 2026-12 the baseline
 * copied into sign_in_events itself, which measured that table rather than the limit.)
 */

export const BARE_TABLE = 'bare_sign_ins'
const BARE_COLUMNS = ['source_event_id', 'created_at', 'user_principal_name', 'ip_address', 'client_app_used', 'user_agent', 'app_display_name', 'error_code'] as const

const NEEDS_ESCAPE = /[\\\t\n\r]/
function field(value: string | null): string {
  if (value === null) return '\\N'
  if (!NEEDS_ESCAPE.test(value)) return value
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

function bareLine(e: NormalisedEvent): string {
  return [e.sourceEventId, new Date(e.createdAt).toISOString(), e.userPrincipalName, e.ipAddress, e.clientAppUsed, e.userAgent, e.appDisplayName, e.errorCode].map(field).join('\t') + '\n'
}

/** Reads the files with the pipeline's own readers and normalisers and writes the bare table's COPY text. */
export async function writeBaselineCopyText(paths: string[], outPath: string): Promise<number> {
  const out = createWriteStream(outPath)
  let lines = 0
  let pending = ''
  for (const file of paths) {
    const decoded = await decodeInput(createReadStream(file))
    const log = await openSignInLog(decoded, file)
    const normalise = log.format.normaliser(log.context)
    for await (const item of log.records) {
      if (isUnreadable(item)) throw new Error(`${file}: unreadable record at ${item.position}: ${item.error}`)
      const result = normalise(item.record)
      if (result.kind !== 'event') throw new Error(`${file}: record ${item.position} was ${result.kind}`)
      pending += bareLine(result.event)
      lines++
      if (pending.length >= 1 << 20) {
        if (!out.write(pending)) await once(out, 'drain')
        pending = ''
      }
    }
  }
  out.end(pending)
  await once(out, 'finish')
  return lines
}

export function psqlAvailable(): boolean {
  return spawnSync('psql', ['--version'], { stdio: 'ignore' }).status === 0
}

/** Creates the bare table. */
export async function prepareBareTable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`CREATE TABLE ${BARE_TABLE} (${BARE_COLUMNS.map((c) => `${c} text`).join(', ')})`)
  } finally {
    await client.end()
  }
}

const COPY_COMMAND = `COPY ${BARE_TABLE} (${BARE_COLUMNS.join(', ')}) FROM STDIN`

/** `psql \copy` of the file; resolves with the wall time of the psql process in ms. */
export async function copyWithPsql(url: string, file: string): Promise<number> {
  const started = performance.now()
  const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${BARE_TABLE} (${BARE_COLUMNS.join(', ')}) FROM '${file.replaceAll("'", "''")}'`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`psql \\copy failed (exit ${code}): ${stderr.trim()}`)
  return performance.now() - started
}

/** The same load through pg-copy-streams, for machines without psql. */
export async function copyWithPgCopyStreams(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const started = performance.now()
    await pipeline(createReadStream(file, { highWaterMark: 1 << 16 }), client.query(copyFrom(COPY_COMMAND)))
    return performance.now() - started
  } finally {
    await client.end()
  }
}
