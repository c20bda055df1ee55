import { describe, expect, it } from 'vitest'
import { cappedFilesSpot } from '@/lib/datasets/capped-files'

describe("the portal download cap's blind spot", () => {
  it('is none without a capped file, and names a single one', () => {
    expect(cappedFilesSpot([])).toBeNull()
    expect(cappedFilesSpot(['InteractiveSignIns_2026-03-02.csv'])).toBe(
      "InteractiveSignIns_2026-03-02.csv has exactly 100,000 rows, the portal's download cap: the export was probably cut; narrow its time range or use the API",
    )
  })

  it('is one line for many files, naming the first three', () => {
    const files = Array.from({ length: 100 }, (_, i) => `InteractiveSignIns_bench-${String(i + 1).padStart(2, '0')}.csv`)
    const spot = cappedFilesSpot(files)
    expect(spot).toBe(
      "100 files have exactly 100,000 rows, the portal's download cap (InteractiveSignIns_bench-01.csv, InteractiveSignIns_bench-02.csv, InteractiveSignIns_bench-03.csv and 97 more): their exports were probably cut; narrow their time ranges or use the API",
    )
    expect(cappedFilesSpot(files.slice(0, 2))).toBe(
      "2 files have exactly 100,000 rows, the portal's download cap (InteractiveSignIns_bench-01.csv, InteractiveSignIns_bench-02.csv): their exports were probably cut; narrow their time ranges or use the API",
    )
  })
})
