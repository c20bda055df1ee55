import { findOrCreateDataset } from '@/lib/datasets/datasets'
import { ingest, type ImportReport } from '@/lib/ingest/pipeline'
import { demoJsonLines, resolveDemoOptions, type DemoOptions } from './generate'

/**
 * `npm run cli -- demo`: generates the demo incident (docs/demo.md) and ingests it through the
 * same pipeline as any uploaded file, as Graph beta JSON Lines, so the demo exercises the real
 * path from bytes to findings.
 */
export async function loadDemoDataset(name: string, options: DemoOptions = {}): Promise<ImportReport> {
  const resolved = resolveDemoOptions(options)
  const dataset = await findOrCreateDataset(name, 'demo')
  const day = resolved.anchor.toISOString().slice(0, 10)
  return ingest({
    datasetId: dataset.id,
    fileName: `contoso-demo-signins-${day}-seed-${resolved.seed}.jsonl`,
    source: demoJsonLines(resolved),
    origin: 'demo',
  })
}
