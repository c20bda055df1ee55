import { hash } from 'node:crypto'

/**
 * The 64-bit key of an event in its dataset: the first 8 bytes of md5(source event id),
 * as a signed bigint in decimal (what COPY and `= ANY($1::bigint[])` take). The migration that
 * introduced it computes the same in SQL: ('x' || substr(md5(id), 1, 16))::bit(64)::bigint.
 * An 8-byte key instead of the id's text (36+ bytes) halves the unique index. The key is unique
 * per dataset and UTC day (eventDay): two different ids of one day share a key with a chance of
 * n²/2^65; the import then refuses the second and names both, rather than dropping an event as a
 * duplicate.
 */
export function eventKey(sourceEventId: string): string {
  return hash('md5', sourceEventId, 'buffer').readBigInt64BE(0).toString()
}

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/**
 * The UTC day of an event's time (epoch ms) as the unique key has it: whole days since 1970,
 * toward zero, as SQL's `event_day(created_at)` computes it (migration 20261210020000).
 */
export function eventDay(time: number): number {
  // | 0 truncates toward zero like Math.trunc, without giving -0 for the hours before 1970.
  return (time / DAY_MS) | 0
}

/**
 * Whether two events with one source id are the same sign-in: on the same UTC day, or within an
 * hour of each other across midnight. Exports of one sign-in differ in precision, and some give
 * the time the log received it (seconds to minutes later); none a day.
 */
export function sameEvent(a: number, b: number): boolean {
  return eventDay(a) === eventDay(b) || Math.abs(a - b) <= HOUR_MS
}
