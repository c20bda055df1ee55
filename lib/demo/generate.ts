import { accountTrouble } from './account-trouble'
import { routineSignIns } from './background'
import { buildDirectory } from './directory'
import type { GraphSignIn } from './graph-sign-in'
import { mergeByTime } from './merge'
import { DemoSeeds } from './random'
import { scenarioStreams } from './scenarios'
import { DAY_MS, HOUR_MS, SPAN_HOURS, utcMidnight } from './timeline'

/**
 * The whole demo as one lazily generated, time-ordered stream of Graph beta sign-ins. The same
 * seed and anchor always give the same records, ids included, so loading the demo twice into a
 * dataset stores it once.
 */

export interface DemoOptions {
  /** A UTC midnight: "day 0" of the scenarios. Default: the start of today (UTC) minus two days. */
  anchor?: Date
  seed?: number
}

export interface ResolvedDemoOptions {
  anchor: Date
  seed: number
}

/** T1589.002, the technique the demo is about. */
export const DEFAULT_DEMO_SEED = 1_589_002

export function defaultDemoAnchor(now: Date = new Date()): Date {
  return new Date(utcMidnight(now.getTime()) - 2 * DAY_MS)
}

export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const anchor = options.anchor ?? defaultDemoAnchor()
  const seed = options.seed ?? DEFAULT_DEMO_SEED
  // Scenarios sit at fixed minutes after the anchor and must not straddle hour buckets by accident.
  if (Number.isNaN(anchor.getTime()) || anchor.getTime() % DAY_MS !== 0) {
    throw new RangeError(`the demo anchor must be a UTC midnight, not ${Number.isNaN(anchor.getTime()) ? 'an invalid date' : anchor.toISOString()}`)
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`the demo seed must be an integer, not ${seed}`)
  return { anchor, seed }
}

/** The time range the demo covers: [from, to). */
export function demoTimeRange(anchor: Date): { from: Date; to: Date } {
  return { from: new Date(anchor.getTime() + SPAN_HOURS.start * HOUR_MS), to: new Date(anchor.getTime() + SPAN_HOURS.end * HOUR_MS) }
}

export function* generateDemoSignIns(options: DemoOptions = {}): Generator<GraphSignIn> {
  const { anchor, seed } = resolveDemoOptions(options)
  const seeds = new DemoSeeds(seed, anchor.getTime())
  const directory = buildDirectory(seeds)
  const streams = [routineSignIns(seeds, directory), accountTrouble(seeds, directory), ...scenarioStreams(seeds, directory)]
  for (const { record } of mergeByTime(streams)) yield record
}

const CHUNK_CHARS = 64 * 1024

/** The demo as JSON Lines, in pieces of about 64 KB: one Graph signIn object per line. */
export async function* demoJsonLines(options: DemoOptions = {}): AsyncGenerator<string> {
  let chunk = ''
  for (const record of generateDemoSignIns(options)) {
    chunk += `${JSON.stringify(record)}\n`
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk) yield chunk
}
