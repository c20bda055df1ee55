import path from 'node:path'
import { defaultDataDir } from '@/lib/db/embedded-postgres'

/** Limits of browser uploads, configurable by environment (README "Configuration"). */
export interface UploadLimits {
  /** Largest file accepted, as sent (compressed size for .gz). */
  maxBytes: number
  /** Largest content after decompression: a decompression bomb stops here. */
  maxDecodedBytes: number
  /** Largest decompressed-to-compressed ratio beyond the first 16 MiB of output, judged as the bytes stream; real logs compress ~10–30×. */
  maxExpansionRatio: number
  /** Free disk space that must remain after storing an upload. */
  reserveBytes: number
  /** Largest single chunk request. */
  maxChunkBytes: number
  directory: string
}

const GiB = 1024 ** 3
const MiB = 1024 ** 2

function number(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

export function uploadLimits(): UploadLimits {
  return {
    maxBytes: number('ET_UPLOAD_MAX_BYTES', 4 * GiB),
    maxDecodedBytes: number('ET_UPLOAD_MAX_DECODED_BYTES', 32 * GiB),
    maxExpansionRatio: number('ET_UPLOAD_MAX_EXPANSION', 200),
    reserveBytes: number('ET_UPLOAD_DISK_RESERVE_BYTES', 1 * GiB),
    maxChunkBytes: 64 * MiB,
    directory: process.env.ET_UPLOAD_DIR ?? path.join(path.dirname(defaultDataDir()), 'uploads'),
  }
}

export const CHUNK_BYTES = 8 * MiB
