import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findingsJson, ingestFile } from '../helpers/ingest'
import { formatSamplesDir } from '../helpers/paths'
import { useTestDatabase } from '../helpers/test-database'

// One incident rendered in every source format (tests/fixtures/format-samples): each folder
// alone, and all of them in one dataset, must give exactly the reference rule's two findings.
useTestDatabase()

const expected = JSON.parse(readFileSync(path.join(formatSamplesDir, 'expected-findings.json'), 'utf8'))

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .flatMap((p) => (statSync(p).isDirectory() ? filesUnder(p) : [p]))
    .sort()
}

const folders: Record<string, string> = {
  'graph-beta': 'graph',
  'portal-json': 'portal-json',
  'portal-csv': 'portal-csv',
  la: 'log-analytics-csv',
  'diag-eventhub': 'diagnostic',
  'diag-blob': 'diagnostic',
  logscale: 'logscale',
}

describe('format samples', () => {
  for (const [folder, format] of Object.entries(folders)) {
    it(`${folder}: detects ${format}, stores 81 events, finds exactly the expected findings`, async () => {
      let inserted = 0
      for (const file of filesUnder(path.join(formatSamplesDir, folder))) {
        const report = await ingestFile(folder, file)
        expect(report.status, report.error ?? '').toBe('succeeded')
        expect(report.format).toBe(format)
        expect(report.rowsRejected).toBe(0)
        inserted += report.rowsInserted
      }
      expect(inserted).toBe(81)
      expect(await findingsJson(folder)).toEqual(expected)
    })
  }

  it('every format into one dataset: shared ids de-duplicate to 81 events and the same findings', async () => {
    let inserted = 0
    let duplicates = 0
    for (const folder of Object.keys(folders)) {
      for (const file of filesUnder(path.join(formatSamplesDir, folder))) {
        const report = await ingestFile('everything', file)
        inserted += report.rowsInserted
        duplicates += report.rowsDuplicate
      }
    }
    expect(inserted).toBe(81)
    expect(duplicates).toBe(81 * (Object.keys(folders).length - 1))
    expect(await findingsJson('everything')).toEqual(expected)
  })
})
