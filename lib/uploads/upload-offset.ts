import { RequestError } from '@/lib/errors'

/**
 * The `Upload-Offset` header of a chunk: the byte it starts at. A missing or malformed header is
 * a 400, never offset 0 (a client that forgot it would otherwise overwrite the file's start).
 */
export function parseUploadOffset(header: string | null): number {
  const text = header?.trim() ?? ''
  const offset = /^\d{1,16}$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(offset)) throw new RequestError(400, 'send the chunk offset in the Upload-Offset header (a byte count, e.g. "Upload-Offset: 0")')
  return offset
}
