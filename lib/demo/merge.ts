import type { TimedSignIn } from './graph-sign-in'

/**
 * Interleaves time-ordered streams into one time-ordered stream, pulling one record at a time
 * from each, so the demo reads like one export and is never held in memory whole. Ties go to the
 * earlier stream, which keeps the output deterministic.
 */
export function* mergeByTime(streams: readonly Iterable<TimedSignIn>[]): Generator<TimedSignIn> {
  const iterators = streams.map((stream) => stream[Symbol.iterator]())
  const heads = iterators.map((iterator) => iterator.next())
  for (;;) {
    let earliest = -1
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]
      if (head.done) continue
      if (earliest === -1 || head.value.time < (heads[earliest].value as TimedSignIn).time) earliest = i
    }
    if (earliest === -1) return
    yield heads[earliest].value as TimedSignIn
    heads[earliest] = iterators[earliest].next()
  }
}
