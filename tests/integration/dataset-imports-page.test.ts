import { describe, expect, it } from 'vitest'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { getDatasetSummary, importsWithRejections, IMPORTS_PAGE_SIZE, listDatasets } from '@/lib/datasets/list-datasets'
import { ingest } from '@/lib/ingest/pipeline'
import { graphRecord, ndjson, once } from '../helpers/ingest-kit'
import { useTestDatabase } from '../helpers/test-database'

// A month of hourly or portal-capped files makes hundreds of imports: the dataset page reads
// them a page at a time and the datasets page only the latest few, each with the full count.
useTestDatabase()

const FILES = IMPORTS_PAGE_SIZE + 3

async function datasetOfManyImports(): Promise<number> {
  const { id } = await findOrCreateDataset('many files')
  for (let f = 0; f < FILES; f++) {
    const records = [graphRecord(f, { id: `file-${f}` })]
    // Every tenth file also holds a record without a time: that import rejects one row.
    const text = ndjson(records) + (f % 10 === 0 ? '{"id":"broken","userPrincipalName":"x@contoso.com"}\n' : '')
    const report = await ingest({ datasetId: id, fileName: `hour-${String(f).padStart(2, '0')}.json`, source: once(text) })
    expect(report.status, report.error ?? '').toBe('succeeded')
  }
  return id
}

describe("a dataset's imports, a page at a time", () => {
  it('reads one page newest first with the count of all, the next page after it, and every import that rejected rows', async () => {
    const id = await datasetOfManyImports()
    const all = await getDatasetSummary(id)
    expect(all?.imports).toHaveLength(FILES)
    expect(all?.importCount).toBe(FILES)

    const first = await getDatasetSummary(id, { skip: 0, take: IMPORTS_PAGE_SIZE })
    const second = await getDatasetSummary(id, { skip: IMPORTS_PAGE_SIZE, take: IMPORTS_PAGE_SIZE })
    expect(first?.importCount).toBe(FILES)
    expect(first?.imports.map((i) => i.fileName)).toEqual(all?.imports.slice(0, IMPORTS_PAGE_SIZE).map((i) => i.fileName))
    expect(second?.imports.map((i) => i.fileName)).toEqual(all?.imports.slice(IMPORTS_PAGE_SIZE).map((i) => i.fileName))
    // Newest first: the last file imported opens the first page, the first one closes the last.
    expect(first?.imports[0].fileName).toBe(`hour-${FILES - 1}.json`)
    expect(second?.imports.at(-1)?.fileName).toBe('hour-00.json')
    // The rejected rows do not depend on the page: files 0, 10 and 20, two of them off page one.
    expect((await importsWithRejections(id)).map((i) => i.fileName)).toEqual(['hour-20.json', 'hour-10.json', 'hour-00.json'])

    const [listed] = (await listDatasets({ take: 5 })).filter((d) => d.id === id)
    expect(listed.imports.map((i) => i.fileName)).toEqual(all?.imports.slice(0, 5).map((i) => i.fileName))
    expect(listed.importCount).toBe(FILES)
  })
})
