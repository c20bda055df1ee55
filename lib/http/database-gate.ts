import { NextResponse } from 'next/server'
import { databaseAvailability, unavailableMessage } from '@/lib/health/database-probe'

/**
 * While the database is down or restarting, pages answer 503 with a page that says so and
 * reloads itself, instead of a 500 for every request; API routes answer 503 JSON (api-guard.ts).
 * /api/health is never gated: it is how a monitor learns which part is down.
 */
const RETRY_AFTER_SECONDS = 5

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

export function databaseUnavailablePage(message: string): NextResponse {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Database restarting · Enumeration Triage</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1 data-testid="database-unavailable">Database restarting</h1>
<p>${escapeHtml(message)}</p>
<p>Nothing you saved is lost. Imports that were running are resumed or marked failed with the reason once the database is back.</p>
</body></html>`
  return new NextResponse(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' } })
}

export function databaseUnavailableJson(message = unavailableMessage('restarting')): NextResponse {
  return NextResponse.json({ error: message }, { status: 503, headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' } })
}

/** For proxy.ts: the 503 page while the database is unavailable, or null to go on. */
export async function databaseGate(): Promise<NextResponse | null> {
  const availability = await databaseAvailability()
  return availability.available ? null : databaseUnavailablePage(unavailableMessage(availability.reason))
}
