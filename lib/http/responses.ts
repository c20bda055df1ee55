import { NextResponse } from 'next/server'

/** The JSON error body every API route answers with: `{ "error": "…" }`. */
export function jsonError(status: number, message: string): NextResponse {
  return NextResponse.json({ error: message }, { status })
}

/** A positive integer id from a route segment, or null. */
export function parseId(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null
  const id = Number(text)
  return id > 0 && id <= 2_147_483_647 ? id : null
}

export function csvResponse(body: string, fileName: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      'x-content-type-options': 'nosniff',
    },
  })
}
