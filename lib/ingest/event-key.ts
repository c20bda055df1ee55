import { hash } from 'node:crypto'

/**
 * The 64-bit unique key of an event in its dataset: the first 8 bytes of md5(source event id),
 * as a signed bigint in decimal (what COPY and `= ANY($1::bigint[])` take). The migration that
 * introduced it computes the same in SQL: ('x' || substr(md5(id), 1, 16))::bit(64)::bigint.
 * An 8-byte key instead of the id's text (36+ bytes) halves the unique index. Two different ids
 * of one dataset share a key with a chance of n²/2^65 (3·10^-6 at 10 M events); the import then
 * fails on the unique index and names it, rather than dropping an event as a duplicate.
 */
export function eventKey(sourceEventId: string): string {
  return hash('md5', sourceEventId, 'buffer').readBigInt64BE(0).toString()
}
