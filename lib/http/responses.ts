import { NextResponse } from 'next/server'

/** The JSON error body every API route answers with: `{ "error": "…" }`. */
export function jsonError(status: number, message: string): NextResponse {
  return NextResponse.json({ error: message }, { status })
}

export { parseId } from './edge-input'

export function csvResponse(body: string, fileName: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      'x-content-type-options': 'nosniff',
    },
  })
}
