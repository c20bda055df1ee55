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
 * agents of one dataset under one key would then mix, so storeUserAgents() refuses the events of
 * the second one (chance n²/2^65 for n distinct user agents, but user agents are chosen by whoever
 * signs in, and a birthday collision of 64 bits costs about 2^32 hashes).
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
 * Adds the user agents of events about to be stored to their dataset's dictionary (the import
 * calls it in its transaction, before the events of each batch are copied). A key already held by
 * another user agent, stored or earlier in the list, stays with it: the events whose user agent
 * came second are refused (returned by index with the reason), so a crafted collision costs its
 * sender those rows, named in the import's report, and never the rest of the file.
 */
export async function storeUserAgents(client: PoolClient, datasetId: number, userAgents: readonly string[]): Promise<Map<number, string>> {
  const keys = userAgents.map(userAgentKey)
  const claimed = new Map<string, string>()
  for (let i = 0; i < userAgents.length; i++) if (!claimed.has(keys[i])) claimed.set(keys[i], userAgents[i])
  const refused = new Map<number, string>()
  if (claimed.size === 0) return refused
  const { rows } = await client.query<{ user_agent_id: string; user_agent: string }>(sqlFile('events/sql/stored-user-agents.sql'), [datasetId, [...claimed.keys()]])
  const stored = new Set<string>()
  for (const row of rows) {
    claimed.set(row.user_agent_id, row.user_agent)
    stored.add(row.user_agent_id)
  }
  for (let i = 0; i < userAgents.length; i++) {
    const holder = claimed.get(keys[i])!
    if (holder !== userAgents[i]) refused.set(i, clash(keys[i], holder, userAgents[i]))
  }
  const added = [...claimed].filter(([key]) => !stored.has(key))
  if (added.length) {
    await client.query(sqlFile('events/sql/add-user-agents.sql'), [datasetId, added.map(([key]) => key), added.map(([, userAgent]) => userAgent)])
  }
  return refused
}

function clash(key: string, holder: string, other: string): string {
  return `user agent ${JSON.stringify(excerpt(other))} has the 64-bit key ${key} of another user agent of this dataset, ${JSON.stringify(excerpt(holder))}; the event is not stored`
}

const excerpt = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text)
