/**
 * A source probing `count` names (`<prefix>-<i>@contoso.com`) with 50034, one attempt every
 * `stepMs` from `start`, from one tool: NDJSON lines in the LogScale shape, each with an id of its
 * own (`<idPrefix>-<n>`, n counting across calls so repeated prefixes never collide).
 */
let counter = 0

export function probeAttempts(ip: string, start: number, count: number, prefix: string, options: { stepMs?: number; idPrefix?: string } = {}): string[] {
  const { stepMs = 40_000, idPrefix = 'probe' } = options
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      '@timestamp': start + i * stepMs,
      id: `${idPrefix}-${++counter}`,
      resultType: '50034',
      ipAddress: ip,
      userPrincipalName: `${prefix}-${i}@contoso.com`,
      clientAppUsed: 'Mobile Apps and Desktop clients',
      userAgent: 'Mozilla/5.0',
      appDisplayName: 'Azure Active Directory PowerShell',
    }),
  )
}
