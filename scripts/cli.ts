import { createReadStream, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { closeDatabase, getMigrationResult } from '@/lib/db/database'
import { findDataset, findOrCreateDataset } from '@/lib/datasets/datasets'
import { failInterruptedImports } from '@/lib/datasets/import-jobs'
import { findEnumeration, findingToJson } from '@/lib/detection/enumeration'
import { loadDemoDataset } from '@/lib/demo/load-demo'
import { ingest, type ImportReport } from '@/lib/ingest/pipeline'
import { formatTable } from './format-table'

/**
 * The command-line interface: a contract other tools script against (README "Command line").
 * Failures exit non-zero with the reason on stderr; --json output goes to stdout alone.
 */

class CliError extends Error {}

function isoDate(value: string): Date {
  const date = new Date(value)
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new InvalidArgumentError(`not an ISO 8601 date: ${value}`)
  return date
}

function reportLine(r: ImportReport): string {
  const what = r.formatLabel ?? 'unknown format'
  const counts = `read ${r.rowsRead}, inserted ${r.rowsInserted}, duplicates ${r.rowsDuplicate}, rejected ${r.rowsRejected}${r.rowsSkipped ? `, skipped ${r.rowsSkipped} (not user sign-ins)` : ''}`
  const status = r.status === 'succeeded' ? '' : ` — ${r.status.replace('_', ' ')}`
  return `${r.fileName}: ${what}: ${counts}${status}${r.error ? `\n  ${r.error}` : ''}`
}

function reportJson(r: ImportReport) {
  return {
    file: r.fileName,
    jobId: r.jobId,
    status: r.status,
    format: r.format,
    formatLabel: r.formatLabel,
    rowsRead: r.rowsRead,
    inserted: r.rowsInserted,
    duplicates: r.rowsDuplicate,
    rejected: r.rowsRejected,
    skipped: r.rowsSkipped,
    bytes: r.bytes,
    contentSha256: r.contentSha256,
    minEventTime: r.minEventTime?.toISOString() ?? null,
    maxEventTime: r.maxEventTime?.toISOString() ?? null,
    durationMs: r.durationMs,
    error: r.error,
    rejections: r.rejections,
  }
}

const program = new Command()
  .name('npm run cli --')
  .description('Enumeration Triage: ingest Entra ID sign-in logs and find username enumeration (T1589.002)')
  .showHelpAfterError()
  .exitOverride()

program
  .command('migrate')
  .description('apply pending database migrations to DATABASE_URL (or the embedded database)')
  .action(async () => {
    const result = await getMigrationResult() // connecting applies pending migrations
    for (const name of result.applied) console.log(`applied ${name}`)
    console.log(`database is up to date: ${result.applied.length + result.alreadyApplied.length} migrations applied, ${result.applied.length} of them now`)
  })

program
  .command('ingest')
  .description('ingest sign-in log files (any supported format, optionally .gz) into a dataset')
  .argument('<files...>', 'files to ingest')
  .requiredOption('--dataset <name>', 'dataset to ingest into (created if needed)')
  .option('--json', 'print one JSON report per file as a JSON array')
  .action(async (files: string[], options: { dataset: string; json?: boolean }) => {
    for (const file of files) {
      if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`${file}: no such file`)
    }
    await failInterruptedImports()
    const dataset = await findOrCreateDataset(options.dataset)
    const reports: ImportReport[] = []
    for (const file of files) {
      const stream = createReadStream(file)
      const report = await ingest({ datasetId: dataset.id, fileName: path.basename(file), source: stream, origin: 'cli' })
      stream.destroy()
      reports.push(report)
      if (!options.json) console.log(reportLine(report))
      for (const rejection of options.json ? [] : report.rejections.slice(0, 5)) {
        console.log(`  line/record ${rejection.recordNumber}: ${rejection.reason}`)
      }
    }
    if (options.json) console.log(JSON.stringify(reports.map(reportJson), null, 2))
    const failed = reports.filter((r) => r.status === 'failed')
    if (failed.length) throw new CliError(failed.map((r) => `${r.fileName}: ${r.error}`).join('\n'))
  })

program
  .command('findings')
  .description("print the reference rule's findings for a dataset")
  .requiredOption('--dataset <name>', 'dataset to analyse')
  .option('--from <iso>', 'start of the time range (inclusive)', isoDate)
  .option('--to <iso>', 'end of the time range (exclusive)', isoDate)
  .option('--json', 'print a JSON array')
  .action(async (options: { dataset: string; from?: Date; to?: Date; json?: boolean }) => {
    const dataset = await findDataset(options.dataset)
    if (!dataset) throw new CliError(`no dataset named ${JSON.stringify(options.dataset)}`)
    if (options.from && options.to && options.from >= options.to) throw new CliError('--from must be before --to')
    const findings = await findEnumeration({ datasetIds: [dataset.id], from: options.from, to: options.to })
    if (options.json) {
      console.log(JSON.stringify(findings.map(findingToJson), null, 2))
      return
    }
    if (findings.length === 0) {
      console.log(`no findings in ${dataset.name}`)
      return
    }
    console.log(
      formatTable(
        ['bucket (UTC)', 'IP address', 'client app', 'user agent', 'users', 'attempts', 'rate/min', 'minutes', 'verdict'],
        findings.map((f) => [
          f.bucket.toISOString().slice(0, 16).replace('T', ' '),
          f.ipAddress,
          f.clientAppUsed,
          f.userAgent,
          String(f.uniqueUsernames),
          String(f.attemptCount),
          String(f.enumerationRatePerMin),
          String(f.durationMinutes),
          f.verdict,
        ]),
      ),
    )
  })

program
  .command('demo')
  .description('generate a realistic demo incident and ingest it')
  .option('--dataset <name>', 'dataset to load it into', 'demo')
  .option('--json', 'print the import report as JSON')
  .action(async (options: { dataset: string; json?: boolean }) => {
    const report = await loadDemoDataset(options.dataset)
    if (options.json) console.log(JSON.stringify(reportJson(report), null, 2))
    else console.log(reportLine(report))
    if (report.status === 'failed') throw new CliError(report.error ?? 'demo import failed')
  })

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv)
    return 0
  } catch (error) {
    const e = error as Error & { code?: string; exitCode?: number }
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0
    if (e.code?.startsWith('commander.')) return e.exitCode ?? 2 // commander printed the reason
    console.error(`error: ${e.message}`)
    return 1
  } finally {
    await closeDatabase()
  }
}

// Exit explicitly: the embedded PostgreSQL package hooks beforeExit and would exit with 0.
process.exit(await main())
