import { eventKey } from '@/lib/ingest/event-key'
import type { PoolClient } from 'pg'
import { sqlFile } from '@/lib/sql-file'

/**
 * User agents are stored once per dataset (user_agents); an event holds the key
 * (sign_in_events.user_agent_id): the first 8 bytes of md5(user agent) as a signed bigint in
 * decimal, what the SQL function user_agent_key() computes. A user agent is ~100 bytes and a
 * dataset has a few dozen of them, so this takes ~90 bytes off every event.
 *
 * Because the key is a function of the text, a query matching events to a finding's user agent
 * compares `e.user_agent_id = user_agent_key(f.user_agent)` without a join. Two different user
 * agents of one dataset under one key would then mix, so storeUserAgents() refuses them (chance
 * n²/2^65 for n distinct user agents, but user agents are chosen by whoever signs in).
 */

// Exports repeat a few dozen user agents millions of times: hash each once.
const MAX_CACHED = 10_000
const cache = new Map<string, string>()

export function userAgentKey(userAgent: string): string {
  let key = cache.get(userAgent)
  if (key === undefined) {
    // The same 64-bit md5 prefix as an event's key.
    key = eventKey(userAgent)
    if (cache.size >= MAX_CACHED) cache.clear()
    cache.set(userAgent, key)
  }
  return key
}

/**
 * Adds the user agents of events being stored to their dataset's dictionary (the import calls it
 * in its transaction, with the events of each batch). Fails when two different user agents have
 * one key, in the list or against one already stored.
 */
export async function storeUserAgents(client: PoolClient, datasetId: number, userAgents: Iterable<string>): Promise<void> {
  const byKey = new Map<string, string>()
  for (const userAgent of userAgents) {
    const key = userAgentKey(userAgent)
    const other = byKey.get(key)
    if (other === undefined) byKey.set(key, userAgent)
    else if (other !== userAgent) throw clash(key, other, userAgent)
  }
  if (byKey.size === 0) return
  const { rows } = await client.query<{ user_agent_id: string; user_agent: string; stored: string }>(sqlFile('events/sql/add-user-agents.sql'), [
    datasetId,
    [...byKey.keys()],
    [...byKey.values()],
  ])
  if (rows.length) throw clash(rows[0].user_agent_id, rows[0].stored, rows[0].user_agent)
}

function clash(key: string, a: string, b: string): Error {
  return new Error(`user agents ${JSON.stringify(a)} and ${JSON.stringify(b)} have the same 64-bit key ${key}`)
}
