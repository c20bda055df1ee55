import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { getEventRecord } from '@/lib/events/get-event-record'
import { realExportPath } from '../helpers/paths'
import { useTestDatabase } from '../helpers/test-database'
import { datasetState, eventCount, eventIds, graphRecord, job, ndjson, portalCsv, query, rejectedRows, rollupAttempts, run } from '../helpers/ingest-kit'
import { APPLICATION_SIGNINS_HEADER } from '../helpers/export-headers'

// The ingest pipeline on the real PostgreSQL: what an import stores and what its job records,
// for files recognised from their content (gzip, BOM, any name), files that are not sign-in
// logs, and files of sign-ins the detection does not use.
useTestDatabase()

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** The stored original record of an event, as the event-record API reads it (from its compressed block). */
async function originalRecord(sourceEventId: string): Promise<string> {
  const [row] = await query<{ id: string }>('SELECT id::text AS id FROM sign_in_events WHERE coalesce(source_event_uuid::text, source_event_id) = $1', [sourceEventId])
  const record = await getEventRecord(BigInt(row.id))
  return record!.raw
}

describe('the real Log Analytics export', () => {
  const bytes = readFileSync(realExportPath)

  it('stores its 56 events and records the import in its job row', async () => {
    const before = Date.now()
    const report = await run('real', 'azure-sentinel-training-lab_sign-in_adelete.csv', bytes)
    const elapsed = Date.now() - before
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report).toMatchObject({ format: 'log-analytics-csv', rowsRead: 56, rowsInserted: 56, rowsDuplicate: 0, rowsRejected: 0, rowsSkipped: 0, error: null })
    // The report times the whole import: no longer than the call took ...
    expect(report.durationMs).toBeLessThanOrEqual(elapsed)

    const row = await job(report.jobId)
    expect(row).toMatchObject({
      status: 'succeeded',
      error: null,
      detected_format: 'log-analytics-csv',
      bytes: '113926',
      content_sha256: '290764c77138541a8d053a68f8899cc442c0094988e5653dcb725305b46ce37f',
      rows_read: 56,
      rows_inserted: 56,
      rows_duplicate: 0,
      rows_rejected: 0,
      rows_skipped: 0,
      file_name: 'azure-sentinel-training-lab_sign-in_adelete.csv',
    })
    expect(row.min_event_time?.toISOString()).toBe('2021-04-28T14:08:45.221Z')
    expect(row.max_event_time?.toISOString()).toBe('2021-04-28T15:19:08.373Z')
    expect(row.started_at!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at!.getTime())
    expect(row.finished_at!.getTime()).toBeLessThanOrEqual(Date.now() + 1000)
    // ... and at least from the job's start to its commit (1 ms for the stored times' rounding).
    expect(report.durationMs).toBeGreaterThan(0)
    expect(report.durationMs).toBeGreaterThanOrEqual(row.finished_at!.getTime() - row.started_at!.getTime() - 1)

    expect(await eventCount('real')).toBe(56)
    const [stored] = await query<{ upn: string; ip: string; code: string; n: number; min: Date; max: Date }>(
      `SELECT min(user_principal_name) AS upn, min(host(ip_address)) AS ip, string_agg(DISTINCT error_code, ',' ORDER BY error_code) AS code,
              count(DISTINCT user_principal_name)::int AS n, min(created_at) AS min, max(created_at) AS max
         FROM sign_in_events WHERE import_job_id = $1`,
      [report.jobId],
    )
    expect(stored).toMatchObject({ upn: 'adelev@m365x816222.onmicrosoft.com', ip: '175.45.176.99', code: '0,16000,50058', n: 1 })
    expect(stored.min.toISOString()).toBe('2021-04-28T14:08:45.221Z')
    expect(stored.max.toISOString()).toBe('2021-04-28T15:19:08.373Z')
    // every event with a user, an IP and a code is counted once in the rollup
    expect(await rollupAttempts('real')).toBe(56)
    // the original record is stored, multi-line JSON cells included
    const raw = JSON.parse(await originalRecord('cfb68155-70f5-4e28-b046-0a3a7086c401')) as Record<string, string>
    expect(JSON.parse(raw.AuthenticationDetails)[0].authenticationMethod).toBe('Previously satisfied')
  })
})

describe('recognised from the content, never the name', () => {
  const csv = portalCsv(3, { idPrefix: 'gz' })

  it('gunzips content with the gzip magic bytes even when the file is named .json', async () => {
    const gz = gzipSync(csv)
    const report = await run('gzip-json-name', 'InteractiveSignIns.json', gz)
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report.format).toBe('portal-csv')
    expect(report.rowsInserted).toBe(3)
    const row = await job(report.jobId)
    // bytes and hash are those of the file as received (compressed)
    expect(row.bytes).toBe(String(gz.length))
    expect(row.content_sha256).toBe(sha256(gz))
    expect(await eventIds('gzip-json-name')).toEqual(['gz-000001', 'gz-000002', 'gz-000003'])
  })

  it('gunzips a gzipped file whose name does not end in .gz', async () => {
    const content = gzipSync(ndjson([graphRecord(1), graphRecord(2)]))
    const report = await run('gzip-no-gz-name', 'signins', content)
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report.format).toBe('graph')
    expect(await eventIds('gzip-no-gz-name')).toEqual(['g-000001', 'g-000002'])
  })

  it('reads a .gz file of plain (not compressed) content as plain', async () => {
    const report = await run('plain-gz-name', 'signins.csv.gz', csv)
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report.rowsInserted).toBe(3)
  })

  it('ignores a UTF-8 BOM, in CSV and in JSON, also inside gzip', async () => {
    const bom = '\ufeff'
    const a = await run('bom', 'a.csv', `${bom}${csv}`)
    const b = await run('bom', 'b.json', `${bom}${JSON.stringify([graphRecord(10)])}`)
    const c = await run('bom', 'c.json', gzipSync(`${bom}${ndjson([graphRecord(11)])}`))
    expect([a.status, b.status, c.status]).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect([a.format, b.format, c.format]).toEqual(['portal-csv', 'portal-json', 'graph'])
    expect(await eventCount('bom')).toBe(5)
    // the BOM did not end up in the first column's name: the first row has its date and id
    const first = JSON.parse(await originalRecord('gz-000001')) as Record<string, string>
    expect(Object.keys(first)[0]).toBe('Date (UTC)')
  })

  it('reads a portal CSV named data.json as a portal CSV', async () => {
    const report = await run('csv-named-json', 'data.json', csv)
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report.format).toBe('portal-csv')
    expect((await job(report.jobId)).detected_format).toBe('portal-csv')
    expect(await eventCount('csv-named-json')).toBe(3)
  })

  it('reads a one-line NDJSON file without a final newline (one LogScale event)', async () => {
    const event = { '@timestamp': 1772446447000, resultType: '50034', userPrincipalName: 'a@contoso.com', ipAddress: '203.0.113.45', id: 'one' }
    const report = await run('one-line', 'export.ndjson', JSON.stringify(event))
    expect(report.status, report.error ?? '').toBe('succeeded')
    expect(report.format).toBe('logscale')
    expect(await eventIds('one-line')).toEqual(['one'])
  })
})

describe('files that are not sign-in logs fail their job and store nothing', () => {
  const cases: [string, string, string | Buffer, RegExp][] = [
    ['a README', 'README.md', '# Exports\n\nDrop the Entra sign-in CSV files in this folder.\nOne file per day.\n', /^not a sign-in log: the CSV header has none of the columns of a known export/],
    [
      'a PNG-like binary',
      'InteractiveSignIns_2026-03-02.csv',
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), Buffer.alloc(2000, 0xaa)]),
      /binary/,
    ],
    ['an unrelated CSV', 'users.csv', 'DisplayName,Mail,Department\nJohn Doe,j.doe@contoso.com,IT\n', /^not a sign-in log: .*"DisplayName,Mail,Department"/],
    ['an empty file', 'signins.csv', '', /^the file is empty$/],
    ['JSON records without sign-in fields', 'signins.json', JSON.stringify([{ name: 'laptop', owner: 'j.doe@contoso.com' }]), /^not a sign-in log: the records have none of the fields of a known format/],
    ['a JSON object without records', 'signins.json', JSON.stringify({ name: 'x', settings: { a: 1 } }, null, 2), /^no records found/],
    ['gzipped text', 'notes.txt.gz', gzipSync('just some notes\nnothing else\n'), /^not a sign-in log/],
  ]

  it.each(cases)('%s', async (_label, fileName, content, message) => {
    const dataset = `not-a-log-${fileName}-${_label}`
    const report = await run(dataset, fileName, content)
    expect(report.status).toBe('failed')
    expect(report.error).toMatch(message)
    expect(report.rowsInserted).toBe(0)
    const row = await job(report.jobId)
    expect(row.status).toBe('failed')
    expect(row.error).toBe(report.error)
    expect(row.finished_at).not.toBeNull()
    expect(await eventCount(dataset)).toBe(0)
    expect((await datasetState(dataset)).rollup).toEqual([])
    expect(await rejectedRows(report.jobId)).toEqual([])
  })
})

describe('service-principal and managed-identity sign-ins are not applicable', () => {
  it('the portal ApplicationSignIns CSV', async () => {
    const content = `${APPLICATION_SIGNINS_HEADER}\r\n2026-03-02T10:14:07Z,r1,c1,sp1,My app,,,My app,app1,,,,,,,,203.0.113.1,"Amsterdam, Noord-Holland, NL",Success,0,,\r\n`
    const report = await run('app-signins', 'ApplicationSignIns_2026-03-02_2026-03-02.csv', content)
    expect(report.status).toBe('not_applicable')
    expect(report.error).toMatch(/service-principal or managed-identity sign-ins/)
    const row = await job(report.jobId)
    expect(row.status).toBe('not_applicable')
    expect(row.error).toBe(report.error)
    expect(await eventCount('app-signins')).toBe(0)
  })

  it('diagnostic records of category ServicePrincipalSignInLogs (and ManagedIdentitySignInLogs)', async () => {
    const record = (id: string, category: string) => ({
      time: '2026-03-02T10:14:07.1234567Z',
      category,
      operationName: 'Sign-in activity',
      resultType: '0',
      callerIpAddress: '203.0.113.1',
      properties: { id, createdDateTime: '2026-03-02T10:14:07.1234567+00:00', servicePrincipalId: 'sp', servicePrincipalName: 'My app', ipAddress: '203.0.113.1' },
    })
    const content = JSON.stringify({ records: [record('sp1', 'ServicePrincipalSignInLogs'), record('sp2', 'ServicePrincipalSignInLogs'), record('mi1', 'ManagedIdentitySignInLogs')] })
    const report = await run('sp-records', 'eh-msg-0001.json', content)
    expect(report.status).toBe('not_applicable')
    expect(report.format).toBe('diagnostic')
    expect(report).toMatchObject({ rowsRead: 3, rowsSkipped: 3, rowsInserted: 0, rowsRejected: 0 })
    const row = await job(report.jobId)
    expect(row).toMatchObject({ status: 'not_applicable', detected_format: 'diagnostic', rows_read: 3, rows_skipped: 3, rows_inserted: 0 })
    expect(row.error).toMatch(/service-principal or managed-identity/)
    expect(await eventCount('sp-records')).toBe(0)
  })

  it('a file mixing user and service-principal records keeps the user ones and succeeds', async () => {
    const user = { time: '2026-03-02T10:14:07Z', category: 'SignInLogs', resultType: '50034', properties: { id: 'u1', createdDateTime: '2026-03-02T10:14:07Z', userPrincipalName: 'a@contoso.com', ipAddress: '203.0.113.1' } }
    const sp = { time: '2026-03-02T10:14:07Z', category: 'ServicePrincipalSignInLogs', resultType: '0', properties: { id: 'sp1', createdDateTime: '2026-03-02T10:14:07Z' } }
    const report = await run('mixed', 'PT1H.json', ndjson([user, sp]))
    expect(report.status).toBe('succeeded')
    expect(report).toMatchObject({ rowsRead: 2, rowsSkipped: 1, rowsInserted: 1 })
    expect(await eventIds('mixed')).toEqual(['u1'])
  })
})

describe('what an import stores', () => {
  it('stores the normalised fields: UTC time truncated to ms, UPN lower-cased, IPv6 compressed, code as text', async () => {
    const record = graphRecord(1, {
      id: 'norm-1',
      createdDateTime: '2026-03-02T10:59:59.9999999-05:00',
      userPrincipalName: '  J.Doe@Contoso.COM ',
      ipAddress: '[2001:DB8:0:0::1]:443',
      clientAppUsed: ' Browser ',
      status: { errorCode: 50053, failureReason: 'Locked' },
      autonomousSystemNumber: 4_200_000_000,
    })
    const report = await run('normalised', 'signins.json', JSON.stringify({ value: [record] }))
    expect(report.status, report.error ?? '').toBe('succeeded')
    const [row] = await query<Record<string, unknown>>(
      `SELECT created_at, user_principal_name, host(ip_address) AS ip, client_app_used, error_code, failure_reason, autonomous_system, b.source_format
         FROM sign_in_events JOIN sign_in_record_blocks b ON b.dataset_id = sign_in_events.dataset_id AND b.block_id = sign_in_events.record_block WHERE source_event_id = 'norm-1'`,
    )
    expect(row).toMatchObject({
      user_principal_name: 'j.doe@contoso.com',
      ip: '2001:db8::1',
      client_app_used: ' Browser ',
      error_code: '50053',
      failure_reason: 'Locked',
      // a 4-byte AS number does not fit the INTEGER column: stored as unknown, not a failed import
      autonomous_system: null,
      source_format: 'graph',
    })
    expect((row.created_at as Date).toISOString()).toBe('2026-03-02T15:59:59.999Z')
    const [rollup] = await query<{ bucket: Date }>(
      `SELECT bucket FROM sign_in_hourly_rollup r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'normalised'`,
    )
    expect(rollup.bucket.toISOString()).toBe('2026-03-02T15:00:00.000Z')
  })
})
