import { spawn, spawnSync } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { decodeInput } from '@/lib/ingest/byte-source'
import { copyLine, EVENT_COLUMNS, eventLinePrefix } from '@/lib/ingest/copy-rows'
import { openSignInLog } from '@/lib/ingest/open-log'
import { isUnreadable } from '@/lib/ingest/readers/read-item'

/**
 * The ingest baseline: the same rows, already normalised to exactly the COPY text the pipeline
 * sends, loaded by `psql \copy` straight into a sign_in_events of the app's definition (same
 * migration, so the same indexes, unique key and foreign keys). No parsing, no staging, no
 * de-duplication, no rollup: the fastest a load of these rows into that table can be.
 */

/** Reads the CSV with the pipeline's own reader and normalisers and writes the COPY text. */
export async function writeBaselineCopyText(csvPath: string, outPath: string, job: { datasetId: number; jobId: number }): Promise<number> {
  const decoded = await decodeInput(createReadStream(csvPath))
  const log = await openSignInLog(decoded, csvPath)
  const normalise = log.format.normaliser(log.context)
  const prefix = eventLinePrefix(job.datasetId, job.jobId, log.format.id)
  const out = createWriteStream(outPath)
  let lines = 0
  let pending = ''
  for await (const item of log.records) {
    if (isUnreadable(item)) throw new Error(`generated CSV has an unreadable record at ${item.position}: ${item.error}`)
    const result = normalise(item.record)
    if (result.kind !== 'event') throw new Error(`generated CSV record ${item.position} was ${result.kind}`)
    pending += prefix + copyLine(result.event)
    lines++
    if (pending.length >= 1 << 20) {
      if (!out.write(pending)) await once(out, 'drain')
      pending = ''
    }
  }
  out.end(pending)
  await once(out, 'finish')
  return lines
}

export function psqlAvailable(): boolean {
  return spawnSync('psql', ['--version'], { stdio: 'ignore' }).status === 0
}

/** Creates the dataset and job the baseline rows belong to (the foreign keys need them). */
export async function prepareBaselineJob(url: string): Promise<{ datasetId: number; jobId: number }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const dataset = await client.query<{ id: number }>(`INSERT INTO datasets (name, source) VALUES ('copy-baseline', 'upload') RETURNING id`)
    const job = await client.query<{ id: number }>(
      `INSERT INTO import_jobs (dataset_id, file_name, status) VALUES ($1, 'copy-baseline', 'running') RETURNING id`,
      [dataset.rows[0].id],
    )
    return { datasetId: dataset.rows[0].id, jobId: job.rows[0].id }
  } finally {
    await client.end()
  }
}

const COPY_COMMAND = `COPY sign_in_events (${EVENT_COLUMNS.join(', ')}) FROM STDIN`

/** `psql \copy` of the file; resolves with the wall time of the psql process in ms. */
export async function copyWithPsql(url: string, file: string): Promise<number> {
  const started = performance.now()
  const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy sign_in_events (${EVENT_COLUMNS.join(', ')}) FROM '${file.replaceAll("'", "''")}'`], {
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
