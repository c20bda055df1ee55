import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { recomputeDataset, type RecomputeResult } from '@/lib/derive/recompute'
import { ingest, type ImportReport } from '@/lib/ingest/pipeline'
import { demoJsonLines, resolveDemoOptions, type DemoOptions } from './generate'

/**
 * `npm run cli -- demo`: generates the demo incident (docs/demo.md) and ingests it through the
 * same pipeline as any uploaded file, as Graph beta JSON Lines, so the demo exercises the real
 * path from bytes to findings; then recomputes the dataset's findings and waits for them.
 */
export async function loadDemoDataset(name: string, options: DemoOptions = {}): Promise<ImportReport & { recompute: RecomputeResult }> {
  const resolved = resolveDemoOptions(options)
  const dataset = await findOrCreateDataset(name, 'demo')
  const day = resolved.anchor.toISOString().slice(0, 10)
  const report = await ingest({
    datasetId: dataset.id,
    fileName: `contoso-demo-signins-${day}-seed-${resolved.seed}.jsonl`,
    source: demoJsonLines(resolved),
    origin: 'demo',
  })
  return { ...report, recompute: await recomputeDataset(dataset.id) }
}
