import { eventKey } from '@/lib/ingest/event-key'
import type { ClientBase, PoolClient } from 'pg'
import { sqlFile } from '@/lib/sql-file'

/**
 * User agents are stored once per dataset (user_agents); an event holds the key
 * (sign_in_events.user_agent_id): the first 8 bytes of md5(salt || user agent) as a signed bigint
 * in decimal, what the SQL function user_agent_key() computes. A user agent is ~100 bytes and a
 * dataset has a few dozen of them, so this takes ~90 bytes off every event.
 *
 * Because the key is a function of the text, a query matching events to a finding's user agent
 * compares `e.user_agent_id = user_agent_key(f.user_agent)` without a join. Two different user
 * agents of one dataset under one key would then mix, so storeUserAgents() refuses the events of
 * the second one. User agents are chosen by whoever signs in: with an unkeyed md5 prefix, a
 * birthday collision of 64 bits costs about 2^32 hashes, and an attacker could have their own
 * sign-ins refused (undetected) by sending a precomputed twin of their user agent first. The salt
 * is random per database (migration 20261209010000, which re-keyed existing events once) and
 * secret, so no collision can be planned offline: what remains is chance, n²/2^65.
 *
 * The salt never leaves the database and the importing process: it is read per import
 * (readUserAgentSalt), never sent to a browser or an API client, and never logged.
 */

/** The secret salt of one database's user_agent_key(); a distinct type so it is never taken for text to show. */
export type UserAgentSalt = string & { readonly __userAgentSalt: unique symbol }

/** The salt of the database the client is connected to, read once per import (tests use several databases). */
export async function readUserAgentSalt(client: Pick<ClientBase, 'query'>): Promise<UserAgentSalt> {
  const { rows } = await client.query<{ salt: string }>(sqlFile('events/sql/user-agent-key-salt.sql'))
  return rows[0].salt as UserAgentSalt
}

// Exports repeat a few dozen user agents millions of times: hash each once. Per salt, since one
// process may write to several databases.
const MAX_CACHED = 10_000
const caches = new Map<UserAgentSalt, Map<string, string>>()
let cached = 0

export function userAgentKey(salt: UserAgentSalt, userAgent: string): string {
  let cache = caches.get(salt)
  if (cache === undefined) {
    cache = new Map()
    caches.set(salt, cache)
  }
  let key = cache.get(userAgent)
  if (key === undefined) {
    // The same 64-bit md5 prefix as an event's key, of the salt then the text: md5(salt || user_agent)
    // hashes the same UTF-8 bytes.
    key = eventKey(salt + userAgent)
    if (cached >= MAX_CACHED) {
      caches.clear()
      cached = 0
      caches.set(salt, (cache = new Map()))
    }
    cache.set(userAgent, key)
    cached++
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
export async function storeUserAgents(client: PoolClient, salt: UserAgentSalt, datasetId: number, userAgents: readonly string[]): Promise<Map<number, string>> {
  const keys = userAgents.map((userAgent) => userAgentKey(salt, userAgent))
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
