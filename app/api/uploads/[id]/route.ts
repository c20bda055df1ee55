import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { NextResponse } from 'next/server'
import { RequestError } from '@/lib/errors'
import { withRole } from '@/lib/http/api-guard'
import { idParam } from '@/lib/http/route-params'
import { importProgress } from '@/lib/uploads/import-progress'
import { parseUploadOffset } from '@/lib/uploads/upload-offset'
import { cancelUpload, receiveChunk } from '@/lib/uploads/upload-store'

type Context = { params: Promise<{ id: string }> }

/**
 * PUT /api/uploads/{jobId} — one chunk, at the byte offset in `Upload-Offset` (the offset the
 * server reports, so a broken connection resumes exactly there). The body streams to disk.
 */
export const PUT = withRole('analyst', async (request, { params }: Context, actor) => {
  const id = await idParam(params, 'upload')
  const offset = parseUploadOffset(request.headers.get('upload-offset'))
  if (!request.body) throw new RequestError(400, 'the chunk is empty')
  const body = Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>)
  return NextResponse.json(await receiveChunk(id, offset, body, actor))
})

/** GET /api/uploads/{jobId} — bytes received, and the import's progress: rows, rate, ETA, report. */
export const GET = withRole('viewer', async (_request, { params }: Context) => {
  const progress = await importProgress(await idParam(params, 'upload'))
  if (!progress) throw new RequestError(404, 'no such import')
  return NextResponse.json(progress)
})

/** DELETE /api/uploads/{jobId} — cancels an upload still receiving data. */
export const DELETE = withRole('analyst', async (_request, { params }: Context, actor) => {
  const id = await idParam(params, 'upload')
  await cancelUpload(id, actor)
  return NextResponse.json({ cancelled: id })
})
