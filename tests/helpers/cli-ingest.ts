import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { repoRoot } from './paths'

const run = promisify(execFile)

/**
 * `npm run cli -- ingest FILES --dataset NAME --json` into the database at `databaseUrl`, as an
 * analyst loads files beside a running app (the browser tests seed their own datasets this way).
 * Returns each file's report as the CLI prints it.
 */
export async function cliIngest(databaseUrl: string, dataset: string, files: string[]): Promise<{ inserted: number }[]> {
  const { stdout } = await run(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/cli.ts', 'ingest', ...files, '--dataset', dataset, '--json'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  })
  return JSON.parse(stdout) as { inserted: number }[]
}
