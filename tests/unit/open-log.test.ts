import { describe, expect, it } from 'vitest'
import { interactiveHintFromName } from '@/lib/ingest/open-log'
import { NotApplicableError, NotASignInLogError } from '@/lib/ingest/types'
import { APPLICATION_SIGNINS_HEADER, PORTAL_HEADER_2024 } from '../helpers/export-headers'
import { csv, readLog } from '../helpers/read-log'

// Format detection from content (docs/reference/signin-formats.md §8.2 gotcha 1): the file name is
// never used to recognise a format, only as the interactive/non-interactive hint.

const graphRecord = { id: 'g1', createdDateTime: '2026-03-02T10:14:07Z', userPrincipalName: 'a@contoso.com', ipAddress: '203.0.113.1', status: { errorCode: 50034 } }
const portalCsv = csv(PORTAL_HEADER_2024, [{ 'Date (UTC)': '2026-03-02T10:14:07Z', 'Request ID': 'p1', Username: 'a@contoso.com', 'IP address': '203.0.113.1', 'Sign-in error code': '50034' }])

async function failure(content: string | Buffer, name = 'upload.dat'): Promise<Error> {
  try {
    await readLog(content, name)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the file to be refused')
}

describe('format detection from content', () => {
  it('reads a portal CSV named data.json as a portal CSV', async () => {
    const log = await readLog(portalCsv, 'data.json')
    expect(log.format).toBe('portal-csv')
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['p1'])
  })

  it('reads a Graph JSON array named signins.csv as JSON', async () => {
    const log = await readLog(JSON.stringify([graphRecord]), 'signins.csv')
    expect(log.format).toBe('portal-json')
    expect(log.events.map((e) => e.sourceEventId)).toEqual(['g1'])
  })

  it('tells a JSON Lines file from a pretty-printed document', async () => {
    expect((await readLog(`${JSON.stringify(graphRecord)}\n`)).format).toBe('graph')
    expect((await readLog(JSON.stringify({ value: [graphRecord] }, null, 2))).format).toBe('graph')
    expect((await readLog(JSON.stringify({ value: [graphRecord] }))).events).toHaveLength(1)
  })

  it('uses the file name only as the interactive hint', () => {
    expect(interactiveHintFromName('/tmp/InteractiveSignIns_2026-03-01_2026-03-02.csv')).toBe(true)
    expect(interactiveHintFromName('NonInteractiveSignIns_2026-03-01_2026-03-02.csv')).toBe(false)
    expect(interactiveHintFromName('NonInteractiveSignIns_AuthDetails_2026-03-01.csv')).toBe(false)
    expect(interactiveHintFromName('export.csv')).toBeNull()
  })
})

describe('files that are not sign-in logs', () => {
  it('an empty file, or one of whitespace or a BOM only', async () => {
    for (const content of ['', '  \r\n\t', '\ufeff']) {
      const error = await failure(content)
      expect(error).toBeInstanceOf(NotASignInLogError)
      expect(error.message).toBe('the file is empty')
    }
  })

  it('a binary file (PNG header)', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), Buffer.alloc(64, 7)])
    const error = await failure(png, 'signins.csv')
    expect(error).toBeInstanceOf(NotASignInLogError)
    expect(error.message).toMatch(/binary/)
  })

  it('a README', async () => {
    const error = await failure('# Sign-in exports\n\nPut the "InteractiveSignIns" files here, one per day.\n', 'README.md')
    expect(error).toBeInstanceOf(NotASignInLogError)
    expect(error.message).toMatch(/^not a sign-in log: the CSV header/)
  })

  it('an unrelated CSV, naming the columns it starts with', async () => {
    const error = await failure('name,email,department,phone\nJohn,j@contoso.com,IT,123\n', 'users.csv')
    expect(error).toBeInstanceOf(NotASignInLogError)
    expect(error.message).toContain('"name,email,department,phone"')
  })

  it('JSON without sign-in fields, as an array, JSON Lines or a document', async () => {
    for (const content of ['[{"name":"x","size":1}]', '{"name":"x"}\n{"name":"y"}\n', '{"name":"x","items":[1,2]}', '{"value":[{"name":"x"}]}']) {
      const error = await failure(content, 'signins.json')
      expect(error, content).toBeInstanceOf(NotASignInLogError)
      expect(error.message, content).toMatch(/^(not a sign-in log|no records found)/)
    }
  })

  it('JSON that is not valid from the start', async () => {
    const error = await failure('[{"createdDateTime": oops}', 'signins.json')
    expect(error).toBeInstanceOf(NotASignInLogError)
  })
})

describe('service-principal and managed-identity files', () => {
  it('the portal application sign-ins CSV is not applicable', async () => {
    const content = `${APPLICATION_SIGNINS_HEADER}\n2026-03-02T10:14:07Z,r1,c1,sp1,My app,,,My app,app1,,,,,,,,203.0.113.1,NL,Success,0,,\n`
    const error = await failure(content, 'ApplicationSignIns_2026-03-02_2026-03-02.csv')
    expect(error).toBeInstanceOf(NotApplicableError)
    expect(error.message).toMatch(/service-principal or managed-identity/)
  })

  it('a Log Analytics export of AADServicePrincipalSignInLogs is not applicable', async () => {
    const content = 'TimeGenerated [UTC],ServicePrincipalId,ServicePrincipalName,IPAddress,ResultType\n"3/2/2026, 10:14:07.000 AM",sp1,My app,203.0.113.1,0\n'
    expect(await failure(content)).toBeInstanceOf(NotApplicableError)
  })

  it('diagnostic records of ServicePrincipalSignInLogs are read but every one is skipped', async () => {
    const record = { time: '2026-03-02T10:14:07Z', category: 'ServicePrincipalSignInLogs', operationName: 'Sign-in activity', properties: { id: 'sp1', servicePrincipalId: 'x' } }
    const log = await readLog(`${JSON.stringify(record)}\n${JSON.stringify({ ...record, properties: { id: 'sp2' } })}\n`)
    expect(log.format).toBe('diagnostic')
    expect(log.skipped).toBe(2)
    expect(log.events).toEqual([])
  })
})
