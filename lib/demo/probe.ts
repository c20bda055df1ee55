import type { App, Resource } from './apps'
import type { Account } from './directory'
import { CODE, type ResultCode } from './error-codes'
import type { SignInSpec } from './graph-sign-in'
import type { Place } from './networks'
import type { Random } from './random'
import { CLIENT_APP, type ClientSoftware } from './user-agents'

/**
 * The attacker's kit: a source, a tool fingerprint and a list of user names tried one after
 * another with a dummy password over ROPC, which is how enumeration shows up in sign-in logs
 * (docs/reference/signin-formats.md §6.2). What each name returns depends on the tenant: 50034 for
 * names that are not accounts, and for real ones whatever their state gives.
 */

export interface Origin {
  ip: string
  place: Place
  asn: number
}

export interface Tool {
  app: App
  resource: Resource
  client: ClientSoftware
}

export interface Target {
  upn: string
  account: Account | null
  code: ResultCode
}

/** Scripts send no device information; Entra files them under the modern-client category. */
export function scriptClient(userAgent: string): ClientSoftware {
  return { userAgent, clientAppUsed: CLIENT_APP.modern, operatingSystem: '', browser: '' }
}

export function missing(upns: readonly string[]): Target[] {
  return upns.map((upn) => ({ upn, account: null, code: CODE.notFound }))
}

export function existing(accounts: readonly Account[], code: ResultCode): Target[] {
  return accounts.map((account) => ({ upn: account.upn, account, code }))
}

export interface ProbeOptions {
  /** This many names that do not exist (the first met) are tried again seconds later, as tools do after a timeout. */
  retries?: number
  /** Keep the list order instead of shuffling it. */
  inOrder?: boolean
  /** A user agent per attempt, for tools that rotate them. */
  userAgentFor?: (attempt: number) => string
}

/**
 * One pass over `targets` from one origin, spread evenly (with jitter) over [start, end) in epoch
 * milliseconds. Every attempt, retries included, falls inside the window.
 */
export function probe(targets: readonly Target[], origin: Origin, tool: Tool, start: number, end: number, rng: Random, options: ProbeOptions = {}): SignInSpec[] {
  const order = options.inOrder ? targets.slice() : rng.shuffle(targets)
  const step = (end - start) / order.length
  const retries = options.retries ?? 0
  if (retries > 0 && step < 20_000) throw new RangeError('retries need at least 20 s between attempts')
  if (retries > order.filter((t) => t.code === CODE.notFound).length) throw new RangeError('more retries than names that do not exist')
  const specs: SignInSpec[] = []
  let retried = 0
  order.forEach((target, i) => {
    const time = Math.floor(start + (i + rng.float() * 0.75) * step)
    const attempt = (at: number): SignInSpec => ({
      time: at,
      upn: target.upn,
      account: target.account,
      app: tool.app,
      resource: tool.resource,
      client: options.userAgentFor ? { ...tool.client, userAgent: options.userAgentFor(specs.length) } : tool.client,
      ip: origin.ip,
      place: origin.place,
      asn: origin.asn,
      interactive: true,
      code: target.code,
      protocol: 'ropc',
    })
    specs.push(attempt(time))
    if (target.code === CODE.notFound && retried < retries) {
      retried++
      specs.push(attempt(time + rng.int(1_000, 4_000)))
    }
  })
  return specs
}
