import { APPS, RESOURCES } from './apps'
import { someEmployees, type Directory, type Employee } from './directory'
import { CODE, type ResultCode } from './error-codes'
import { dressInOrder, type SignInSpec, type TimedSignIn } from './graph-sign-in'
import { ASN } from './networks'
import type { DemoSeeds, Random } from './random'
import { dayTime, MINUTE_MS, minutesAfter } from './timeline'

/**
 * The helpdesk's ordinary day: a couple of employees lock themselves out (50053, one of the
 * rule's codes, but one user name per source, far below the threshold) and one meets an expired
 * password (50055). They show that the rule's codes alone do not mean enumeration.
 */

function attempt(employee: Employee, time: number, code: ResultCode): SignInSpec {
  return {
    time,
    upn: employee.upn,
    account: employee,
    app: APPS.officeHome,
    resource: RESOURCES.graph,
    client: employee.browser,
    ip: employee.office.egressIps[0],
    place: employee.office.place,
    asn: ASN.contoso,
    interactive: true,
    code,
    deviceId: employee.deviceId,
  }
}

/** Minutes after the anchor of a local wall-clock time in the employee's office. */
function localTime(employee: Employee, day: number, hour: number, minute: number): number {
  return dayTime(day, hour - employee.office.utcOffsetHours, minute)
}

/** Five wrong passwords, Smart Lockout, then a successful sign-in once the helpdesk has helped. */
function lockout(rng: Random, employee: Employee, start: number, specs: SignInSpec[]): void {
  let time = start + rng.int(0, 59_999)
  for (let i = 0; i < 5; i++) {
    specs.push(attempt(employee, time, CODE.wrongPassword))
    time += rng.int(15_000, 45_000)
  }
  for (let i = 0; i < 3; i++) {
    specs.push(attempt(employee, time, CODE.locked))
    time += rng.int(40_000, 90_000)
  }
  specs.push({ ...attempt(employee, time + rng.int(25, 40) * MINUTE_MS, CODE.success), multiFactor: true })
}

function expiredPassword(rng: Random, employee: Employee, start: number, specs: SignInSpec[]): void {
  const time = start + rng.int(0, 59_999)
  specs.push(attempt(employee, time, CODE.expired))
  specs.push({ ...attempt(employee, time + rng.int(2, 4) * MINUTE_MS, CODE.success), multiFactor: true })
}

export function* accountTrouble(seeds: DemoSeeds, directory: Directory): Generator<TimedSignIn> {
  const rng = seeds.random('account-trouble')
  const [first, second, expired] = someEmployees(rng, directory, 3)
  const specs: SignInSpec[] = []
  lockout(rng, first, minutesAfter(seeds.anchor, localTime(first, 0, 9, 20)), specs)
  lockout(rng, second, minutesAfter(seeds.anchor, localTime(second, 1, 14, 5)), specs)
  expiredPassword(rng, expired, minutesAfter(seeds.anchor, localTime(expired, 1, 8, 40)), specs)
  yield* dressInOrder(specs, seeds.ids('account-trouble'), rng)
}
