import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { ZodError } from 'zod'
import { createApiToken, TokenError } from '@/lib/auth/api-tokens'
import { recordAudit } from '@/lib/auth/audit'
import { isRole, ROLES, type Role } from '@/lib/auth/roles'
import { normaliseEmail } from '@/lib/auth/email'
import { createUser, listUsers, updateUser, UserError } from '@/lib/auth/users'
import { DEFAULT_APP_ROLE, ensureAppRole } from '@/lib/db/app-role'
import { closeDatabase, getMigrationResult, getPool, getPrisma } from '@/lib/db/database'
import { findDataset, findOrCreateDataset } from '@/lib/datasets/datasets'
import { failInterruptedImports } from '@/lib/ingest/import-job'
import { findEnumeration, findingToJson } from '@/lib/detection/enumeration'
import { loadDemoDataset } from '@/lib/demo/load-demo'
import { derivedState, derivedStateMessage } from '@/lib/derive/derived-state'
import { recomputeDataset, type RecomputeResult } from '@/lib/derive/recompute'
import { ingest, type ImportReport } from '@/lib/ingest/pipeline'
import { formatTable } from './format-table'
import { backfillNow, parseBackfillWindow } from '@/lib/connectors/backfill'
import { listConnectors } from '@/lib/connectors/connector-store'
import { runBackfill, runConnector } from '@/lib/connectors/run-connector'
import { ensureSecretKey } from '@/lib/connectors/secret-key-file'

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
  return `${r.fileName}: ${what}: ${counts} in ${seconds(r.durationMs)} (read, parse and load)${status}${r.error ? `\n  ${r.error}` : ''}`
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

/** How the recompute went, detector by detector (the ingest's second phase). */
function recomputeLines(result: RecomputeResult): string[] {
  if (result.status === 'skipped' || !result.run) return ['findings: up to date, nothing to recompute']
  const run = result.run
  const scope = run.full ? 'all events' : `${run.from} – ${run.to}, ${run.sourceIps} source IPs`
  const head = `findings: ${result.status === 'current' ? 'recomputed' : 'recompute FAILED'} (${scope}) in ${seconds(run.totalMs)}`
  const phases = run.phases.map((p) => `${p.detector} ${seconds(p.ms)}`).join(', ')
  return [head, ...(phases ? [`  ${phases}`] : []), ...(result.error ? [`  ${result.error}`] : [])]
}

/** Recomputes the dataset now, prints how it went (to stderr with --json) and fails on a failure. */
async function recomputeAndReport(dataset: { id: number; name: string }, json: boolean | undefined, full = false): Promise<RecomputeResult> {
  const result = await recomputeDataset(dataset.id, { full })
  for (const line of recomputeLines(result)) (json ? console.error : console.log)(line)
  if (result.status === 'failed') {
    throw new CliError(`every event is stored, but updating the findings failed: ${result.error}\nretry with: npm run cli -- recompute --dataset ${JSON.stringify(dataset.name)}`)
  }
  return result
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
  .command('app-role')
  .description('create or update the role the app connects as (owns no table; only appends to the audit trail) and grant it the database; run as the owner, after migrate')
  .option('--role <name>', 'role name', DEFAULT_APP_ROLE)
  .option('--password-stdin', 'set its password from standard input')
  .action(async (options: { role: string; passwordStdin?: boolean }) => {
    const password = options.passwordStdin ? (await readStdin()).trim() : undefined
    if (options.passwordStdin && !password) throw new Error('no password on standard input')
    await getMigrationResult()
    const role = await ensureAppRole(await getPool(), { role: options.role, password })
    console.log(`role ${role} may now use this database; run the app with DATABASE_URL=postgresql://${role}:<password>@<host>:<port>/<database>`)
  })

// `npm run cli` starts Node with --heap-growing-percent=100 (package.json): V8 then lets the heap
// grow to twice what a collection leaves live instead of up to four times, and an import's peak
// RSS stays under 300 MB whatever the file (docs/benchmarks.md), for a few per cent more CPU.
program
  .command('ingest')
  .description('ingest sign-in log files (any supported format, optionally .gz) into a dataset')
  .argument('<files...>', 'files to ingest')
  .requiredOption('--dataset <name>', 'dataset to ingest into (created if needed)')
  .option('--json', 'print one JSON report per file as a JSON array (the recompute\'s timings go to stderr)')
  .option('--no-wait', 'do not wait for the findings to be recomputed (a running app server recomputes them a minute or two later; else the next start, import or `recompute` does)')
  .action(async (files: string[], options: { dataset: string; json?: boolean; wait: boolean }) => {
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
    // Once for all the files (and a retry of an earlier failure), whatever some of them did.
    if (options.wait) await recomputeAndReport(dataset, options.json)
    else (options.json ? console.error : console.log)('findings: not recomputed (--no-wait); a running app server recomputes them a minute or two from now, else the next start, import or `recompute` will')
    if (failed.length) throw new CliError(failed.map((r) => `${r.fileName}: ${r.error}`).join('\n'))
  })

program
  .command('recompute')
  .description('recompute the findings, windows, campaigns and everything else derived from a dataset\'s events (retries a failed recompute)')
  .requiredOption('--dataset <name>', 'dataset to recompute')
  .option('--full', 'recompute from all its events, not only what changed since the last recompute')
  .option('--json', 'print the result as JSON')
  .action(async (options: { dataset: string; full?: boolean; json?: boolean }) => {
    const dataset = await findDataset(options.dataset)
    if (!dataset) throw new CliError(`no dataset named ${JSON.stringify(options.dataset)}`)
    const result = await recomputeAndReport(dataset, options.json, options.full)
    if (options.json) console.log(JSON.stringify({ dataset: dataset.name, ...result, state: await derivedState(dataset.id) }, null, 2))
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
    // The rule's findings below are computed from the events, exact whatever the state; the
    // rest of the dataset's findings (windows, campaigns) is not, and the analyst should know.
    const notice = derivedStateMessage(await derivedState(dataset.id))
    if (notice) console.error(`note: ${notice}`)
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
  .option('--anchor <date>', 'UTC midnight the incident is placed after (default: two days ago), e.g. 2026-03-02', isoDate)
  .option('--seed <n>', 'random seed (the same seed and anchor give the same events)', (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('the seed is a whole number')
    return Number(v)
  })
  .option('--json', 'print the import report as JSON')
  .action(async (options: { dataset: string; anchor?: Date; seed?: number; json?: boolean }) => {
    const report = await loadDemoDataset(options.dataset, { anchor: options.anchor, seed: options.seed })
    if (options.json) console.log(JSON.stringify(reportJson(report), null, 2))
    else console.log(reportLine(report))
    if (report.status === 'failed') throw new CliError(report.error ?? 'demo import failed')
    for (const line of recomputeLines(report.recompute)) (options.json ? console.error : console.log)(line)
    if (report.recompute.status === 'failed') throw new CliError(`every event is stored, but updating the findings failed: ${report.recompute.error}`)
  })

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin reads the password from standard input (pipe it in)')
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text.replace(/\r?\n$/, '')
}

function role(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`a role is one of ${ROLES.join(', ')}`)
  return value
}

const users = program.command('users').description('manage sign-in accounts (the first admin, analysts, leads, viewers)')

users
  .command('add')
  .description('create a local account; without --password-stdin a strong password is generated and printed once')
  .argument('<email>', 'e-mail address (the sign-in name)')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role)
  .option('--name <name>', 'display name')
  .option('--password-stdin', 'read the password from standard input')
  .option('--json', 'print the account (and a generated password) as JSON')
  .action(async (email: string, options: { role: Role; name?: string; passwordStdin?: boolean; json?: boolean }) => {
    const generated = options.passwordStdin ? null : randomBytes(18).toString('base64url')
    const password = generated ?? (await readStdin())
    const user = await createUser({ email, displayName: options.name, role: options.role, password }, (tx, created) =>
      recordAudit(tx, { system: 'cli' }, 'user.create', { type: 'user', id: created.id }, null, { email: created.email, role: created.role }),
    ).catch((error) => {
      throw error instanceof UserError || error instanceof ZodError ? new CliError(error instanceof ZodError ? 'not a valid e-mail address' : error.message) : error
    })
    if (options.json) console.log(JSON.stringify({ ...user, ...(generated ? { password: generated } : {}) }, null, 2))
    else {
      console.log(`created ${user.role} ${user.email}`)
      if (generated) console.log(`password (shown once): ${generated}`)
    }
  })

users
  .command('list')
  .description('list the accounts')
  .option('--json', 'print a JSON array')
  .action(async (options: { json?: boolean }) => {
    const all = await listUsers()
    if (options.json) console.log(JSON.stringify(all, null, 2))
    else console.log(formatTable(['e-mail', 'name', 'role', 'status', 'last sign-in'], all.map((u) => [u.email, u.displayName, u.role, u.disabled ? 'disabled' : 'active', u.lastLoginAt ?? 'never'])))
  })

users
  .command('set-role')
  .description("change an account's role (signs it out everywhere)")
  .argument('<email>')
  .argument('<role>', `one of ${ROLES.join(', ')}`, role)
  .action(async (email: string, newRole: Role) => {
    const user = (await listUsers()).find((u) => u.email === normaliseEmail(email))
    if (!user) throw new CliError(`no account ${email}`)
    const updated = await updateUser(user.id, { role: newRole }, (tx, after, ended) =>
      recordAudit(tx, { system: 'cli' }, 'user.update', { type: 'user', id: user.id }, { role: user.role }, { role: after.role, ...ended }),
    )
    console.log(`${updated.email} is now ${updated.role}`)
  })

users
  .command('disable')
  .description('disable an account (signs it out, its tokens stop working)')
  .argument('<email>')
  .action(async (email: string) => {
    const user = (await listUsers()).find((u) => u.email === normaliseEmail(email))
    if (!user) throw new CliError(`no account ${email}`)
    await updateUser(user.id, { disabled: true }, (tx, _after, ended) =>
      recordAudit(tx, { system: 'cli' }, 'user.update', { type: 'user', id: user.id }, { disabled: false }, { disabled: true, ...ended }),
    )
    console.log(`${user.email} is disabled`)
  })

program
  .command('token')
  .description('create an API token for scripts (printed once; use it as Authorization: Bearer <token>)')
  .requiredOption('--user <email>', 'the account the token acts for')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--role <role>', "the token's role (at most the account's; default the account's)", role)
  .option('--expires <iso>', 'expiry date', isoDate)
  .action(async (options: { user: string; name: string; role?: Role; expires?: Date }) => {
    const owner = (await listUsers()).find((u) => u.email === normaliseEmail(options.user))
    if (!owner) throw new CliError(`no account ${options.user}`)
    const { token } = await createApiToken(owner, options.name, options.role ?? owner.role, options.expires ?? null, { system: 'cli' }).catch((error) => {
      throw error instanceof TokenError ? new CliError(error.message) : error
    })
    console.log(token)
  })

const connectors = program.command('connectors').description('API connectors (Graph, Log Analytics, LogScale)')

connectors
  .command('list')
  .description('list the connectors')
  .option('--json', 'print a JSON array')
  .action(async (options: { json?: boolean }) => {
    const all = await listConnectors()
    if (options.json) console.log(JSON.stringify(all, null, 2))
    else
      console.log(
        formatTable(
          ['name', 'kind', 'dataset', 'schedule', 'fetched up to', 'last error'],
          all.map((c) => [c.name, c.kind, c.datasetName, c.scheduleMinutes ? `${c.scheduleMinutes} min` : 'by hand', c.watermark ?? '—', c.lastError ?? '']),
        ),
      )
  })

connectors
  .command('run')
  .description('pull now, from the watermark to the present (a run whose process is gone is taken over)')
  .argument('<name>', 'connector name')
  .option('--json', 'print the run as JSON')
  .action(async (name: string, options: { json?: boolean }) => {
    await ensureSecretKey()
    const connector = (await listConnectors()).find((c) => c.name === name)
    if (!connector) throw new CliError(`no connector named ${JSON.stringify(name)}`)
    // Retries and the run's summary go to stderr: stdout stays the result (--json).
    const result = await runConnector(connector.id, { log: (line) => console.error(line) }).catch((error: Error) => {
      throw new CliError(error.message)
    })
    if (options.json) console.log(JSON.stringify(result, null, 2))
    else console.log(`${name}: ${result.status}, ${result.slicesDone}/${result.slicesTotal} slices, ${result.eventsRead} events read, ${result.eventsInserted} new`)
    if (result.status === 'failed') throw new CliError(result.error ?? 'the run failed')
  })

connectors
  .command('backfill')
  .description('pull a chosen window into the connector\'s dataset, beside its schedule (its watermark does not move)')
  .argument('<name>', 'connector name')
  .option('--from <date>', 'first day (2026-03-01, UTC) or a time with its zone (2026-03-01T06:00:00Z)')
  .option('--to <date>', 'last day, included (2026-03-09), or a time with its zone, excluded')
  .option('--resume <run>', 'resume an interrupted backfill run from its last stored slice (instead of --from/--to)')
  .option('--json', 'print the run as JSON')
  .action(async (name: string, options: { from?: string; to?: string; resume?: string; json?: boolean }) => {
    await ensureSecretKey()
    const connector = (await listConnectors()).find((c) => c.name === name)
    if (!connector) throw new CliError(`no connector named ${JSON.stringify(name)}`)
    if (options.resume === undefined && (options.from === undefined || options.to === undefined)) throw new CliError('give --from and --to, or --resume <run>')
    const log = (line: string) => console.error(line)
    const result = await (async () => {
      if (options.resume === undefined) return backfillNow(connector.id, parseBackfillWindow(options.from, options.to), { system: 'cli' }, { log })
      const runId = Number(options.resume)
      const run = Number.isInteger(runId) && runId > 0 ? await (await getPrisma()).connectorRun.findUnique({ where: { id: runId } }) : null
      if (!run || run.connectorId !== connector.id || !run.backfill) throw new CliError(`${name} has no backfill run ${options.resume}`)
      return runBackfill(runId, { log })
    })().catch((error: Error) => {
      throw new CliError(error.message)
    })
    if (options.json) console.log(JSON.stringify(result, null, 2))
    else console.log(`${name} backfill run ${result.runId}: ${result.status}, ${result.slicesDone}/${result.slicesTotal} slices, ${result.eventsRead} events read, ${result.eventsInserted} new`)
    if (result.status === 'failed') throw new CliError(result.error ?? 'the backfill failed')
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
