import { existsSync } from 'node:fs'

/** Debian's Chromium (or CHROMIUM_PATH); null when the machine has none. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p))
  return candidates.find((p) => existsSync(p)) ?? null
}

/** The flags this workplace's closed network needs (no background requests to Google). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
