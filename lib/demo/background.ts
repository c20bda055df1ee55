import { APPS, usualResources, type App } from './apps'
import type { Directory, Employee } from './directory'
import { CODE, type ResultCode } from './error-codes'
import { dressInOrder, type SignInSpec, type TimedSignIn } from './graph-sign-in'
import { ASN, type Place } from './networks'
import type { DemoSeeds, Random } from './random'
import { HOUR_MS, MINUTE_MS, SPAN_HOURS } from './timeline'
import { WINDOWS_SIGN_IN, type ClientSoftware } from './user-agents'

/**
 * Ordinary working life of the tenant: employees signing in from the office, from home and from
 * their phones, in their own time zone, less at weekends. Mostly success; the failures are the
 * everyday kind (wrong password then a retry, MFA prompts, "stay signed in?", a mistyped name)
 * that the reference rule must stay quiet about.
 *
 * Generated an hour at a time so the whole background never sits in memory.
 */

interface Network {
  ip: string
  place: Place
  asn: number
  /** On the corporate laptop (a managed device) rather than the phone. */
  laptop: boolean
}

/** How a sign-in attempt plays out: the codes in order, and how long the user takes between them. */
type Outcome = 'ok' | 'kmsi' | 'mfaInterrupt' | 'mfaRequired' | 'wrongPassword' | 'noSsoSession' | 'typo'

const INTERACTIVE_OUTCOMES: readonly (readonly [Outcome, number])[] = [
  ['ok', 850],
  ['kmsi', 40],
  ['mfaInterrupt', 25],
  ['mfaRequired', 30],
  ['wrongPassword', 38],
  ['noSsoSession', 12],
  ['typo', 5],
]

const FIRST_CODE: Record<Exclude<Outcome, 'ok' | 'typo'>, ResultCode> = {
  kmsi: CODE.kmsiInterrupt,
  mfaInterrupt: CODE.mfaInterrupt,
  mfaRequired: CODE.mfaRequired,
  wrongPassword: CODE.wrongPassword,
  noSsoSession: CODE.noSsoSession,
}

const NON_INTERACTIVE_CODES: readonly (readonly [ResultCode, number])[] = [
  [CODE.success, 978],
  [CODE.noSsoSession, 12],
  [CODE.mfaRequired, 10],
]

class Routine {
  /** Which local days a hybrid worker spends in the office, decided on first need. */
  private readonly officeDays = new Map<string, boolean>()
  private readonly seats: ReadonlyMap<Employee, number>

  constructor(
    private readonly rng: Random,
    private readonly directory: Directory,
  ) {
    this.seats = new Map(directory.employees.map((employee, index) => [employee, index]))
  }

  private inOffice(employee: Employee, localDay: number): boolean {
    if (employee.workStyle !== 'hybrid') return employee.workStyle === 'office'
    const key = `${employee.upn}|${localDay}`
    let decided = this.officeDays.get(key)
    if (decided === undefined) {
      decided = this.rng.chance(0.55)
      this.officeDays.set(key, decided)
    }
    return decided
  }

  /** Everything the employee does in the UTC hour starting at `hourStart`. */
  plan(employee: Employee, hourStart: number, specs: SignInSpec[]): void {
    const local = new Date(hourStart + employee.office.utcOffsetHours * HOUR_MS)
    const localHour = local.getUTCHours()
    const weekday = local.getUTCDay() >= 1 && local.getUTCDay() <= 5
    const working = weekday && localHour >= employee.workStart && localHour < employee.workStart + employee.workHours
    const awake = localHour >= 7 && localHour < 23

    const interactive = this.rng.poisson(working ? 0.45 : awake ? (weekday ? 0.04 : 0.08) : 0)
    const background = this.rng.poisson(working ? 2.2 : awake ? (weekday ? 0.5 : 1) : 0.15)
    if (interactive + background === 0) return

    const network = working ? this.workNetwork(employee, Math.floor(local.getTime() / (24 * HOUR_MS))) : this.offHoursNetwork(employee)
    for (let i = 0; i < interactive; i++) this.interactiveSignIn(employee, network, hourStart, specs)
    for (let i = 0; i < background; i++) this.tokenRefresh(employee, network, hourStart, specs)
  }

  private workNetwork(employee: Employee, localDay: number): Network {
    const office = employee.office
    if (this.inOffice(employee, localDay)) {
      // Each person sits behind one of the building's NAT addresses.
      const ip = office.egressIps[(this.seats.get(employee) ?? 0) % office.egressIps.length]
      return { ip, place: office.place, asn: ASN.contoso, laptop: true }
    }
    return { ip: employee.homeIp, place: office.place, asn: office.homeAsn, laptop: true }
  }

  private offHoursNetwork(employee: Employee): Network {
    return this.rng.chance(0.75)
      ? { ip: employee.phoneIp, place: employee.office.place, asn: ASN.mobileCarrier, laptop: false }
      : { ip: employee.homeIp, place: employee.office.place, asn: employee.office.homeAsn, laptop: true }
  }

  private interactiveSignIn(employee: Employee, network: Network, hourStart: number, specs: SignInSpec[]): void {
    const rng = this.rng
    const [app, client] = this.interactiveClient(employee, network)
    const base: Omit<SignInSpec, 'time' | 'code'> = {
      upn: employee.upn,
      account: employee,
      app,
      resource: rng.pick(usualResources(app)),
      client,
      ip: network.ip,
      place: network.place,
      asn: network.asn,
      interactive: true,
      deviceId: network.laptop ? employee.deviceId : undefined,
    }
    // Sequences end within the hour, so each hour's batch is complete and in order on its own.
    let time = hourStart + rng.int(0, 54 * MINUTE_MS)
    const outcome = rng.weighted(INTERACTIVE_OUTCOMES)
    if (outcome === 'typo') {
      specs.push({ ...base, time, upn: this.typoOf(employee.upn), account: null, code: CODE.notFound })
      time += rng.int(15_000, 40_000)
    } else if (outcome !== 'ok') {
      specs.push({ ...base, time, code: FIRST_CODE[outcome] })
      time += rng.int(outcome === 'kmsi' ? 4_000 : 20_000, outcome === 'wrongPassword' ? 90_000 : 60_000)
    }
    specs.push({ ...base, time, code: CODE.success, multiFactor: outcome === 'mfaInterrupt' || outcome === 'mfaRequired' || rng.chance(0.4) })
  }

  private interactiveClient(employee: Employee, network: Network): [App, ClientSoftware] {
    const rng = this.rng
    if (!network.laptop) return [rng.pick([APPS.outlookMobile, APPS.teams]), employee.phone]
    const windows = employee.browser.operatingSystem === 'Windows10'
    const choice = rng.weighted([
      ['browser', 60],
      ['desktop', 28],
      ['windows', windows ? 12 : 0],
    ] as const)
    if (choice === 'windows') return [APPS.windowsSignIn, WINDOWS_SIGN_IN]
    if (choice === 'desktop') return [rng.pick([APPS.office, APPS.teams]), rng.pick(employee.desktop)]
    const browserApps: (readonly [App, number])[] = [
      [APPS.officeHome, 55],
      [APPS.office, 30],
      [APPS.mySignins, 4],
      [APPS.azurePortal, employee.itStaff ? 30 : 0],
    ]
    return [rng.weighted(browserApps), employee.browser]
  }

  private tokenRefresh(employee: Employee, network: Network, hourStart: number, specs: SignInSpec[]): void {
    const rng = this.rng
    const app = network.laptop
      ? rng.weighted<App>([[APPS.teams, 35], [APPS.office, 25], [APPS.oneDriveSync, 20], [APPS.authBroker, 20]])
      : rng.pick<App>([APPS.outlookMobile, APPS.teams])
    const code = rng.weighted(NON_INTERACTIVE_CODES)
    specs.push({
      time: hourStart + rng.int(0, HOUR_MS - 1),
      upn: employee.upn,
      account: employee,
      app,
      resource: rng.pick(usualResources(app)),
      client: network.laptop ? rng.pick(employee.desktop) : employee.phone,
      ip: network.ip,
      place: network.place,
      asn: network.asn,
      interactive: false,
      code,
      deviceId: network.laptop ? employee.deviceId : undefined,
      multiFactor: code === CODE.success,
    })
  }

  /** 'jane.doe' → 'jnae.doe': two neighbouring letters swapped, never another real account. */
  private typoOf(upn: string): string {
    const [local, domain] = upn.split('@')
    for (let attempt = 0; attempt < 10; attempt++) {
      const i = this.rng.int(0, local.length - 2)
      const typo = `${local.slice(0, i)}${local[i + 1]}${local[i]}${local.slice(i + 2)}@${domain}`
      if (typo !== upn && !this.directory.exists(typo)) return typo
    }
    return `${local}${local.at(-1)}@${domain}`
  }
}

export function* routineSignIns(seeds: DemoSeeds, directory: Directory): Generator<TimedSignIn> {
  const rng = seeds.random('background')
  const nextId = seeds.ids('background')
  const routine = new Routine(rng, directory)
  for (let hour = SPAN_HOURS.start; hour < SPAN_HOURS.end; hour++) {
    const hourStart = seeds.anchor + hour * HOUR_MS
    const specs: SignInSpec[] = []
    for (const employee of directory.employees) routine.plan(employee, hourStart, specs)
    yield* dressInOrder(specs, nextId, rng)
  }
}
