import { createReadStream } from 'node:fs'
import path from 'node:path'
import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { recomputeDataset } from '@/lib/derive/recompute'
import { findEnumeration, findingToJson, type FindingsQuery } from '@/lib/detection/enumeration'
import { ingest, type ImportReport } from '@/lib/ingest/pipeline'

/** Ingests a file and recomputes the dataset's findings after it, as the CLI does. */
export async function ingestFile(dataset: string, file: string): Promise<ImportReport> {
  const { id } = await findOrCreateDataset(dataset)
  const stream = createReadStream(file)
  try {
    return await ingest({ datasetId: id, fileName: path.basename(file), source: stream })
  } finally {
    stream.destroy()
    await recomputeDataset(id)
  }
}

/** Ingests content given in the test (text or bytes) as if it were a file of that name. */
export async function ingestContent(dataset: string, fileName: string, content: string | Buffer, options: { batchSize?: number } = {}): Promise<ImportReport> {
  const { id } = await findOrCreateDataset(dataset)
  async function* bytes() {
    yield Buffer.isBuffer(content) ? content : Buffer.from(content)
  }
  const report = await ingest({ datasetId: id, fileName, source: bytes(), batchSize: options.batchSize })
  await recomputeDataset(id)
  return report
}

export async function findingsJson(dataset: string, query: Omit<FindingsQuery, 'datasetIds'> = {}) {
  const { id } = await findOrCreateDataset(dataset)
  return (await findEnumeration({ ...query, datasetIds: [id] })).map(findingToJson)
}
