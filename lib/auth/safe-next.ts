/**
 * Where to send someone after signing in: only a path on this site. "//evil.example", and
 * "/\evil.example" or control characters (which browsers turn into "//"), would leave it.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return '/'
  return /[\\\u0000-\u001f\u007f]/.test(next) ? '/' : next
}
