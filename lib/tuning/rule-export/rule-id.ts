import { createHash } from 'node:crypto'

/**
 * Name-based UUIDs (RFC 9562 version 5): the same dataset and settings give the same Sigma rule
 * id on every export, so a SIEM that imports the file again updates its rule instead of adding
 * a second one.
 */
const NAMESPACE = 'b7f2c3d4-5e6f-4a1b-8c9d-0e1f2a3b4c5d'

export function nameUuid(name: string): string {
  const namespace = Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex')
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = (bytes[6] & 0x0f) | 0x50
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
