import { FIRST_NAMES, LAST_NAMES, upnOf, upnPart } from './names'
import { homeIp, mobileIp, OFFICES, type Office } from './networks'
import type { DemoSeeds, Random } from './random'
import { MAC_BROWSERS, MAC_DESKTOP, MOBILE_CLIENTS, WINDOWS_BROWSERS, WINDOWS_DESKTOP, type ClientSoftware } from './user-agents'

/** The fake tenant's accounts: who exists (and so what an enumeration can confirm). */

export interface Account {
  upn: string
  displayName: string
  id: string
}

export interface Employee extends Account {
  office: Office
  /** office: in the building on workdays; hybrid: some days at home; remote: always at home. */
  workStyle: 'office' | 'hybrid' | 'remote'
  /** Local hour the working day starts, and its length. */
  workStart: number
  workHours: number
  browser: ClientSoftware
  desktop: readonly ClientSoftware[]
  phone: ClientSoftware
  /** The Entra-joined laptop. */
  deviceId: string
  homeIp: string
  phoneIp: string
  /** Signs in to the Azure portal now and then. */
  itStaff: boolean
}

export interface Directory {
  employees: readonly Employee[]
  /** Exist, but never sign in interactively: the accounts sprays love (no MFA, old passwords). */
  serviceAccounts: readonly Account[]
  /** Deleted accounts that on-premises systems and access reviews still know about. */
  formerEmployees: readonly string[]
  exists(upn: string): boolean
}

export const EMPLOYEE_COUNT = 300

const SERVICE_ACCOUNTS = ['svc-backup', 'svc-scanner', 'svc-sharepoint', 'svc-sqlreport']

function personName(rng: Random): { displayName: string; localPart: string } {
  const first = rng.pick(FIRST_NAMES)
  const last = rng.pick(LAST_NAMES)
  return { displayName: `${first} ${last}`, localPart: `${upnPart(first)}.${upnPart(last)}` }
}

function buildEmployee(rng: Random, name: { displayName: string; localPart: string }): Employee {
  const office = rng.weighted(OFFICES.map((o, i) => [o, [35, 25, 25, 15][i]] as const))
  const mac = rng.chance(0.25)
  return {
    upn: upnOf(name.localPart),
    displayName: name.displayName,
    id: rng.guid(),
    office,
    workStyle: rng.weighted([['office', 45], ['hybrid', 40], ['remote', 15]] as const),
    workStart: rng.int(7, 9),
    workHours: rng.int(8, 10),
    browser: rng.pick(mac ? MAC_BROWSERS : WINDOWS_BROWSERS),
    desktop: mac ? MAC_DESKTOP : WINDOWS_DESKTOP,
    phone: rng.pick(MOBILE_CLIENTS),
    deviceId: rng.guid(),
    homeIp: homeIp(rng),
    phoneIp: mobileIp(rng),
    itStaff: rng.chance(0.06),
  }
}

export function buildDirectory(seeds: DemoSeeds): Directory {
  const rng = seeds.random('directory')
  const taken = new Set<string>()
  const employees: Employee[] = []
  while (employees.length < EMPLOYEE_COUNT) {
    const name = personName(rng)
    // A clash gets a different person rather than a "john.smith2": the demo does not need them.
    if (taken.has(upnOf(name.localPart))) continue
    taken.add(upnOf(name.localPart))
    employees.push(buildEmployee(rng, name))
  }
  const serviceAccounts = SERVICE_ACCOUNTS.map((localPart) => {
    taken.add(upnOf(localPart))
    return { upn: upnOf(localPart), displayName: localPart, id: rng.guid() }
  })
  const formerEmployees: string[] = []
  const former = new Set<string>()
  while (formerEmployees.length < 40) {
    const upn = upnOf(personName(rng).localPart)
    if (taken.has(upn) || former.has(upn)) continue
    former.add(upn)
    formerEmployees.push(upn)
  }
  return { employees, serviceAccounts, formerEmployees, exists: (upn) => taken.has(upn) }
}

/**
 * Plausible first.last names that are not accounts here: what a user list scraped from a social
 * network or a breach looks like to this tenant. Distinct, and none of them in `avoid`.
 */
export function unknownPeople(rng: Random, directory: Directory, count: number, avoid: ReadonlySet<string> = new Set()): string[] {
  const result: string[] = []
  const seen = new Set(avoid)
  while (result.length < count) {
    const upn = upnOf(personName(rng).localPart)
    if (directory.exists(upn) || seen.has(upn)) continue
    seen.add(upn)
    result.push(upn)
  }
  return result
}

/** Distinct employees, none of them in `avoid`. */
export function someEmployees(rng: Random, directory: Directory, count: number, avoid: ReadonlySet<string> = new Set()): Employee[] {
  return rng.shuffle(directory.employees.filter((e) => !avoid.has(e.upn))).slice(0, count)
}
