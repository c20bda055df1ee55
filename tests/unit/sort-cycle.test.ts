import { describe, expect, it } from 'vitest'
import { nextSort, type SortKey } from '@/components/ui/sort-cycle'

const DEFAULT: SortKey[] = [
  { id: 'uniqueUsernames', desc: true },
  { id: 'attemptCount', desc: true },
  { id: 'bucket', desc: false },
  { id: 'ipAddress', desc: false },
]

describe('the sort a header click gives', () => {
  it('from the default view, the first click sorts by the column alone: counts largest first, text A→Z', () => {
    expect(nextSort(DEFAULT, true, 'bucket', false, false)).toEqual([{ id: 'bucket', desc: false }])
    expect(nextSort(DEFAULT, true, 'ipAddress', false, false)).toEqual([{ id: 'ipAddress', desc: false }])
    expect(nextSort(DEFAULT, true, 'uniqueUsernames', true, false)).toEqual([{ id: 'uniqueUsernames', desc: true }])
    expect(nextSort(DEFAULT, true, 'attemptCount', true, false)).toEqual([{ id: 'attemptCount', desc: true }])
  })

  it('clicking the sorted column turns it around, and back: both directions, never dropped', () => {
    let sort = nextSort(DEFAULT, true, 'bucket', false, false)
    sort = nextSort(sort, false, 'bucket', false, false)
    expect(sort).toEqual([{ id: 'bucket', desc: true }])
    sort = nextSort(sort, false, 'bucket', false, false)
    expect(sort).toEqual([{ id: 'bucket', desc: false }])
  })

  it('shift-click adds a further key, or turns an existing one around', () => {
    let sort = nextSort(DEFAULT, true, 'enumerationRatePerMin', true, false)
    sort = nextSort(sort, false, 'bucket', false, true)
    expect(sort).toEqual([
      { id: 'enumerationRatePerMin', desc: true },
      { id: 'bucket', desc: false },
    ])
    sort = nextSort(sort, false, 'bucket', false, true)
    expect(sort[1]).toEqual({ id: 'bucket', desc: true })
  })
})
