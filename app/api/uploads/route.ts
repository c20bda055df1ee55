import { NextResponse } from 'next/server'
import { jsonBody, withRole } from '@/lib/http/api-guard'
import { createUpload } from '@/lib/uploads/upload-store'

/** POST /api/uploads {dataset, fileName, size} — starts an upload; then PUT its chunks to /api/uploads/{jobId}. */
export const POST = withRole('analyst', async (request, _context, actor) =>
  NextResponse.json(await createUpload((await jsonBody(request)) as { dataset: string; fileName: string; size: number }, actor), { status: 201 }),
)
