import type { Verdict } from '@/lib/detection/verdicts'

const TIER_CLASS: Record<Verdict, string> = {
  'High Confidence Enumeration': 'tier-high',
  'Moderate Enumeration': 'tier-moderate',
  'Low-Level Enumeration': 'tier-low',
}

const TIER_SHORT: Record<Verdict, string> = {
  'High Confidence Enumeration': 'High',
  'Moderate Enumeration': 'Moderate',
  'Low-Level Enumeration': 'Low',
}

/** The tier in colour and in words, so it never depends on colour alone. */
export function VerdictBadge({ verdict, short = false }: { verdict: Verdict; short?: boolean }) {
  return (
    <span className={`badge ${TIER_CLASS[verdict]}`} title={verdict}>
      {short ? TIER_SHORT[verdict] : verdict}
    </span>
  )
}

export function tierClass(verdict: Verdict): string {
  return TIER_CLASS[verdict]
}

export function tierShort(verdict: Verdict): string {
  return TIER_SHORT[verdict]
}
