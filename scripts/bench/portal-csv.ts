import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { Random } from './prng'
import { APPS, ATTACKER_CLIENT_APPS, ATTACKER_LOCATIONS, ATTACKER_USER_AGENTS, RESOURCES, TENANT_ID, guessedUsername, makeUsers, type User } from './tenant'

/**
 * Writes a large Entra portal CSV download (docs/reference/signin-formats.md §2.2: the exact
 * 55-column header with its trailing spaces, double space and duplicate name) to a file, one
 * hour at a time, newest first as the portal sorts it. Mostly successful sign-ins of a few
 * thousand users, a little ordinary failure noise, and enumeration bursts at every tier of the
 * rule (plus near misses below it) so that the detection has real work and real findings.
 */

export const PORTAL_CSV_HEADER = [
  'Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type',
  'Cross tenant access type', 'Incoming token type', 'Authentication Protocol', 'Unique token identifier',
  'Original transfer method', 'Client credential type', 'Token Protection - Sign In Session',
  'Token Protection - Sign In Session StatusCode', 'Application', 'Application ID ', 'Resource',
  'Resource ID ', 'Resource tenant ID', 'Home tenant ID', 'Home tenant name', 'IP address', 'Location',
  'Status', 'Sign-in error code', 'Failure reason', 'Client app', 'Device ID', 'Browser', 'Operating System',
  'Compliant', 'Managed', 'Join Type', 'Multifactor authentication result',
  'Multifactor authentication auth method', 'Multifactor authentication auth detail',
  'Authentication requirement', 'Sign-in identifier', 'Session ID', 'IP address (seen by resource)',
  'Through Global Secure Access', 'Global Secure Access IP address', 'Autonomous system  number',
  'Flagged for review', 'Token issuer type', 'Incoming token type', 'Token issuer name', 'Latency',
  'Conditional Access', 'Managed Identity type', 'Associated Resource Id', 'Federated Token Id',
  'Federated Token Issuer',
] as const

const FAILURE_REASONS: Record<string, string> = {
  '0': '',
  '50034': 'The user account does not exist in the contoso.com directory. To sign into this application, the account must be added to the directory.',
  '50053': 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  '50055': 'Invalid password, entered expired password.',
  '50056': "Invalid or null password: password doesn't exist in the directory for this user.",
  '50126': 'Error validating credentials due to invalid username or password.',
  '50074': 'Strong Authentication is required.',
  '50140': 'This error occurred due to "Keep me signed in" interrupt when the user was signing in.',
  '70044': 'The session has expired or is invalid due to sign-in frequency checks by conditional access.',
  '50133': 'Session is invalid due to expiration or recent password change.',
}

// What legitimate traffic fails with, cumulative: mostly success, a little of everything else,
// including a trickle of the rule's own codes (a user's expired password, a lockout, a typo).
const BACKGROUND_CODES: [number, string][] = [
  [0.93, '0'], [0.95, '50074'], [0.96, '50140'], [0.975, '50126'], [0.983, '70044'], [0.988, '50133'],
  [0.992, '50056'], [0.994, '50055'], [0.996, '50053'], [1, '50034'],
]

export type Tier = 'near-miss' | 'low' | 'moderate' | 'high'

/** Distinct usernames per tier: the rule flags >= 10, moderate >= 20, high >= 50. */
const TIERS: { tier: Tier; share: number; min: number; max: number }[] = [
  { tier: 'near-miss', share: 0.2, min: 5, max: 9 },
  { tier: 'low', share: 0.35, min: 10, max: 19 },
  { tier: 'moderate', share: 0.25, min: 20, max: 49 },
  { tier: 'high', share: 0.2, min: 50, max: 300 },
]

/** Where the generated export begins (UTC). */
export const DATA_START = new Date('2026-02-10T00:00:00Z')

export interface GenerateOptions {
  rows: number
  seed: number
  /** First hour of the export (UTC). */
  start?: Date
  /** Hours the rows are spread over (default: ~16,000 rows an hour, at least 24). */
  hours?: number
  /**
   * Split into this many files (path-01.csv, path-02.csv, …; each with the header), as a portal
   * export of a long range comes: the portal caps one download at 100,000 rows. Default 1: `path`.
   */
  files?: number
}

export interface GeneratedCsv {
  path: string
  /** The files written, newest rows first (one file: [path]). */
  paths: string[]
  rows: number
  bytes: number
  hours: number
  users: number
  bursts: Record<Tier, number>
  /** Rows carrying one of the rule's four codes. */
  ruleCodeRows: number
}

interface Attempt {
  time: number
  upn: string
  code: string
  burst: Burst
}

interface Burst {
  ip: string
  userAgent: string
  clientApp: string
  location: string
  asn: string
  app: (typeof APPS)[number]
}

const HOUR = 3_600_000
export const EVENTS_PER_HOUR = 16_000
const USERS = 4_000

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

function isoTime(time: number, withMillis: boolean): string {
  const d = new Date(time)
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return withMillis ? `${base}.${pad(d.getUTCMilliseconds(), 3)}Z` : `${base}Z`
}

function quoted(value: string): string {
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`
}

function status(code: string): string {
  if (code === '0') return 'Success'
  return code === '50074' || code === '50140' ? 'Interrupted' : 'Failure'
}

interface RowFields {
  time: number
  upn: string
  user: User | null
  ip: string
  userAgent: string
  clientApp: string
  browser: string
  os: string
  location: string
  asn: string
  app: (typeof APPS)[number]
  code: string
}

function csvRow(random: Random, f: RowFields): string {
  const resource = random.pick(RESOURCES)
  const upn = f.user && random.chance(0.02) ? f.upn.toUpperCase() : f.upn // Entra keeps the typed case
  const cells = [
    isoTime(f.time, random.chance(0.9)), random.guid(), f.userAgent, random.guid(),
    f.user ? f.user.id : f.code === '50034' ? '00000000-0000-0000-0000-000000000000' : '', f.user?.displayName ?? '', upn,
    f.user ? 'Member' : '', 'none', 'none', f.user ? '' : 'ropc', random.token(22), '', '', '', '',
    f.app[0], f.app[1], resource[0], resource[1], TENANT_ID, TENANT_ID, 'Contoso', f.ip, f.location,
    status(f.code), f.code, FAILURE_REASONS[f.code] ?? '', f.clientApp, '', f.browser, f.os,
    f.user ? 'Yes' : 'No', 'No', '', '', '', '', 'Single-factor authentication', upn,
    f.user ? random.guid() : '', '', 'No', '', f.asn, 'No', 'AzureAD', 'none', '', String(random.int(20, 900)),
    f.code === '0' ? 'Success' : 'Not Applied', '', '', '', '',
  ]
  let line = quoted(cells[0])
  for (let i = 1; i < cells.length; i++) line += ',' + quoted(cells[i])
  return line + '\r\n'
}

function backgroundCode(random: Random): string {
  const r = random.next()
  for (const [limit, code] of BACKGROUND_CODES) if (r < limit) return code
  return '0'
}

function planBursts(random: Random, users: User[], rows: number, hours: number, start: number): { attempts: Attempt[]; bursts: Record<Tier, number> } {
  const count = Math.max(8, Math.round(rows / 4_000))
  const attackerIps = Array.from({ length: Math.max(4, Math.round(count / 3)) }, () => `203.0.113.${random.int(1, 254)}`)
  const attempts: Attempt[] = []
  const bursts: Record<Tier, number> = { 'near-miss': 0, low: 0, moderate: 0, high: 0 }
  for (let b = 0; b < count; b++) {
    let r = random.next()
    const spec = TIERS.find((t) => (r -= t.share) < 0) ?? TIERS[TIERS.length - 1]
    bursts[spec.tier]++
    const [location, asn] = random.pick(ATTACKER_LOCATIONS)
    const burst: Burst = {
      ip: random.pick(attackerIps),
      userAgent: random.pick(ATTACKER_USER_AGENTS),
      clientApp: random.pick(ATTACKER_CLIENT_APPS),
      location,
      asn,
      app: random.chance(0.5) ? APPS[8] : random.pick(APPS),
    }
    // Some bursts run over the end of their hour: the rule's known blind spot, kept on purpose.
    const begin = start + random.int(0, hours - 1) * HOUR + random.int(0, HOUR - 1)
    const span = random.int(20_000, spec.tier === 'high' ? 50 * 60_000 : 20 * 60_000)
    const targets = random.int(spec.min, spec.max)
    for (let t = 0; t < targets; t++) {
      const real = random.chance(0.4)
      const upn = real ? random.pick(users).upn : guessedUsername(random)
      const tries = random.chance(0.25) ? 2 : 1
      for (let k = 0; k < tries; k++) {
        const code = !real ? '50034' : random.pick(['50056', '50056', '50126', '50053', '50055'])
        attempts.push({ time: Math.min(begin + random.int(0, span), start + hours * HOUR - 1), upn, code, burst })
      }
    }
  }
  return { attempts, bursts }
}

/** Streams the CSV to `path`; memory holds one hour of rows at a time. */
export async function writePortalCsv(path: string, options: GenerateOptions): Promise<GeneratedCsv> {
  const random = new Random(options.seed)
  const start = (options.start ?? DATA_START).getTime()
  const hours = options.hours ?? Math.max(24, Math.ceil(options.rows / EVENTS_PER_HOUR))
  const users = makeUsers(random, USERS)
  const plan = planBursts(random, users, options.rows, hours, start)
  // A generous burst plan must still leave room for background rows on small runs.
  const attempts = plan.attempts.slice(0, Math.floor(options.rows / 2))
  const byHour = new Map<number, Attempt[]>()
  for (const a of attempts) {
    const hour = Math.floor((a.time - start) / HOUR)
    const list = byHour.get(hour)
    if (list) list.push(a)
    else byHour.set(hour, [a])
  }
  const background = options.rows - attempts.length

  const files = Math.max(1, options.files ?? 1)
  const paths = files === 1 ? [path] : Array.from({ length: files }, (_, i) => path.replace(/(\.csv)?$/, `-${String(i + 1).padStart(2, '0')}.csv`))
  const rowsPerFile = Math.ceil(options.rows / files)
  let out = createWriteStream(paths[0])
  let fileNo = 0
  let rowsInFile = 0
  let bytes = 0
  let pending: string[] = []
  let pendingLength = 0
  const write = async (text: string) => {
    pending.push(text)
    pendingLength += text.length
    if (pendingLength < 1 << 20) return
    const chunk = pending.join('')
    pending = []
    pendingLength = 0
    bytes += Buffer.byteLength(chunk)
    if (!out.write(chunk)) await once(out, 'drain')
  }

  const header = '\ufeff' + PORTAL_CSV_HEADER.map(quoted).join(',') + '\r\n'
  const flush = async () => {
    const chunk = pending.join('')
    pending = []
    pendingLength = 0
    bytes += Buffer.byteLength(chunk)
    out.end(chunk)
    await once(out, 'finish')
  }
  await write(header)
  let ruleCodeRows = 0
  for (let hour = hours - 1; hour >= 0; hour--) {
    const inHour = Math.floor((background * (hour + 1)) / hours) - Math.floor((background * hour) / hours)
    const rows: RowFields[] = []
    for (let i = 0; i < inHour; i++) {
      const user = random.pick(users)
      const device = random.pick(user.devices)
      let upn = user.upn
      const code = backgroundCode(random)
      if (code === '50034') upn = upn.replace('@contoso.com', '@contso.com') // a typo'd domain
      rows.push({ time: start + hour * HOUR + random.int(0, HOUR - 1), upn, user: code === '50034' ? null : user, ...device, app: random.pick(user.apps), code })
    }
    for (const a of byHour.get(hour) ?? []) {
      const b = a.burst
      rows.push({ time: a.time, upn: a.upn, user: null, ip: b.ip, userAgent: b.userAgent, clientApp: b.clientApp, browser: '', os: '', location: b.location, asn: b.asn, app: b.app, code: a.code })
    }
    rows.sort((x, y) => y.time - x.time)
    for (const row of rows) {
      if (row.code === '50034' || row.code === '50053' || row.code === '50055' || row.code === '50056') ruleCodeRows++
      if (rowsInFile === rowsPerFile) {
        await flush()
        out = createWriteStream(paths[++fileNo])
        rowsInFile = 0
        await write(header)
      }
      rowsInFile++
      await write(csvRow(random, row))
    }
  }
  await flush()
  return { path, paths: paths.slice(0, fileNo + 1), rows: options.rows, bytes, hours, users: users.length, bursts: plan.bursts, ruleCodeRows }
}
