'use client'

import { useSyncExternalStore } from 'react'

/**
 * How many rows of a table the server renders into the page's HTML. The rest come with the page
 * data and are drawn by the browser right after hydration: rendering every row of the big tables
 * (findings, a finding's usernames, an IP's hours, a campaign's sources) on the server was most
 * of those pages' CPU time under load, and the HTML held every row a second time beside the
 * page data (docs/architecture.md, "Rendering pages").
 */
export const SERVER_ROWS = 15

const subscribe = () => () => {}

/**
 * False while rendering on the server and while hydrating, true afterwards (and on client-side
 * navigation, which does not hydrate). React renders again with `true` once hydration is done, so
 * the browser never disagrees with the server's HTML.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  )
}

/** The rows to render now: all of them in the browser, the first SERVER_ROWS on the server. */
export function useServerRows<T>(rows: T[]): T[] {
  const hydrated = useHydrated()
  return hydrated || rows.length <= SERVER_ROWS ? rows : rows.slice(0, SERVER_ROWS)
}
