import { VERDICTS, type Verdict } from '@/lib/detection/verdicts'

/** Findings per tier, every tier present (zero when none). */
export function tierCounts(rows: readonly { verdict: Verdict; findings: number | bigint }[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>
  for (const row of rows) counts[row.verdict] = Number(row.findings)
  return counts
}
