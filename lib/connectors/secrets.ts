import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * Connector secrets (client secrets, API tokens) are encrypted at rest with AES-256-GCM under a
 * key from the environment (ET_SECRET_KEY: 32 random bytes, base64). The database alone cannot
 * reveal them, and a changed ciphertext fails authentication instead of decrypting to garbage.
 */
const VERSION = 'v1'

export class SecretKeyError extends Error {}

export function secretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const text = env.ET_SECRET_KEY
  if (!text) throw new SecretKeyError('ET_SECRET_KEY is not set: connector secrets cannot be stored or used (npm start creates one; see README "Configuration")')
  const key = Buffer.from(text, 'base64')
  if (key.length !== 32) throw new SecretKeyError('ET_SECRET_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)')
  return key
}

export function newSecretKey(): string {
  return randomBytes(32).toString('base64')
}

export function encryptSecret(plaintext: string, key = secretKey()): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':')
}

export function decryptSecret(stored: string, key = secretKey()): string {
  const [version, iv, tag, ciphertext] = stored.split(':')
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new SecretKeyError('the stored secret is not in a format this version reads')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
  decipher.setAuthTag(Buffer.from(tag, 'base64'))
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8')
  } catch {
    throw new SecretKeyError('the stored secret cannot be decrypted with ET_SECRET_KEY (was the key changed?); enter the secret again')
  }
}
