import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { derivedState, type DerivedState } from '@/lib/derive/derived-state'
import { importProgress } from '@/lib/uploads/import-progress'
import { createUpload, receiveChunk } from '@/lib/uploads/upload-store'
import { graphRecord, ndjson, query } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// An upload batch of several files recomputes the dataset's findings once, after its last file:
// while another file of the dataset is still being uploaded, the recompute waits for it.
useTestDatabase()
process.env.ET_UPLOAD_DIR = mkdtempSync(path.join(os.tmpdir(), 'et-uploads-'))

function burst(ip: string, start: string, count: number, prefix: string): Buffer {
  return Buffer.from(
    ndjson(
      Array.from({ length: count }, (_, i) =>
        graphRecord(i, { id: `${prefix}-${i}`, ipAddress: ip, userPrincipalName: `${prefix}${i}@contoso.com`, createdDateTime: new Date(Date.parse(start) + i * 1000).toISOString() }),
      ),
    ),
  )
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`)
    await sleep(100)
  }
}

describe('an upload batch', () => {
  it('recomputes once, after its last file', async () => {
    const analyst: Actor = { user: await createUser({ email: 'analyst@example.com', role: 'analyst', password: 'analyst-password-1' }), via: 'session' }
    const first = burst('198.18.5.1', '2026-03-02T10:00:00Z', 12, 'one')
    const second = burst('198.18.5.2', '2026-03-05T16:00:00Z', 15, 'two')
    // The page announces each file as it starts sending it; the second is still on its way.
    const a = await createUpload({ dataset: 'batch', fileName: 'one.json', size: first.length }, analyst)
    await receiveChunk(a.jobId, 0, Readable.from([first]), analyst)
    const b = await createUpload({ dataset: 'batch', fileName: 'two.json', size: second.length }, analyst)
    await until('first import', () => importProgress(a.jobId), (p) => p?.status === 'succeeded')
    const [{ id }] = await query<{ id: number }>("SELECT id FROM datasets WHERE name = 'batch'")
    // Longer than the scheduler's quiet time: the first file alone is not recomputed.
    await sleep(2_500)
    expect(await derivedState(id)).toMatchObject({ status: 'pending' })
    await receiveChunk(b.jobId, 0, Readable.from([second]), analyst)
    await until('second import', () => importProgress(b.jobId), (p) => p?.status === 'succeeded')

    const state = await until<DerivedState>('the recompute', () => derivedState(id), (s) => s.status === 'current' || s.status === 'failed')
    // One recompute, of both files: the dataset's first, so in full (lib/derive/recompute.ts).
    expect(state).toMatchObject({ status: 'current', lastRun: { full: true, cause: 'import', from: null, to: null, sourceIps: 2 } })
    const findings = await query<{ ip: string }>("SELECT host(ip_address) AS ip FROM findings WHERE dataset_id = $1 AND kind = 'hourly' ORDER BY 1", [id])
    expect(findings.map((f) => f.ip)).toEqual(['198.18.5.1', '198.18.5.2'])
  }, 90_000)
})
