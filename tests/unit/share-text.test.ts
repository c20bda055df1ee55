import { describe, expect, it } from 'vitest'
import { shareText } from '@/lib/display/share'

describe('shareText', () => {
  it('rounds to whole percents', () => {
    expect(shareText(1, 4)).toBe('25%')
    expect(shareText(2, 3)).toBe('67%')
  })

  it('never says 0 % of a part that exists, nor 100 % of a part that is not all', () => {
    // The bench's 1 M events, 2,802 of them without a user agent: it read "2,802 (0%)".
    expect(shareText(2_802, 1_032_000)).toBe('<1%')
    expect(shareText(1_029_198, 1_032_000)).toBe('>99%')
    expect(shareText(0, 1_032_000)).toBe('0%')
    expect(shareText(1_032_000, 1_032_000)).toBe('100%')
    expect(shareText(0, 0)).toBe('0%')
  })
})
