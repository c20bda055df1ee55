import { describe, expect, it } from 'vitest'
import { OTHER_IPS_SERIES, type CampaignTimeline } from '@/lib/campaigns/campaign-types'
import { fromTimelineSeries, toTimelineSeries } from '@/lib/campaigns/timeline-series'

describe("a campaign page's timeline series", () => {
  it('gives back the timeline it was given: gaps, hours some addresses missed, the other IPs', () => {
    const timeline: CampaignTimeline = {
      series: ['203.0.113.7', '2001:db8::5', OTHER_IPS_SERIES],
      otherIpCount: 14,
      points: [
        { bucket: '2026-03-28T22:00:00.000Z', attemptsBySeries: { '203.0.113.7': 12, [OTHER_IPS_SERIES]: 40 } },
        { bucket: '2026-03-28T23:00:00.000Z', attemptsBySeries: { '2001:db8::5': 3 } },
        // Europe's clocks go forward in the night of 29 March: UTC hours stay one apart.
        { bucket: '2026-03-29T02:00:00.000Z', attemptsBySeries: { '203.0.113.7': 1, '2001:db8::5': 9, [OTHER_IPS_SERIES]: 2 } },
        { bucket: '2026-04-30T23:00:00.000Z', attemptsBySeries: { [OTHER_IPS_SERIES]: 5 } },
      ],
    }
    const series = toTimelineSeries(timeline)
    expect(series.start).toBe('2026-03-28T22:00:00.000Z')
    expect(series.hours).toEqual([0, 1, 4, 793])
    expect(series.attempts).toEqual([
      [12, 0, 1, 0],
      [0, 3, 9, 0],
      [40, 0, 2, 5],
    ])
    expect(fromTimelineSeries(series)).toEqual(timeline)
  })

  it('is empty for a campaign without hours', () => {
    const empty: CampaignTimeline = { series: [], otherIpCount: 0, points: [] }
    expect(toTimelineSeries(empty)).toEqual({ series: [], otherIpCount: 0, start: null, hours: [], attempts: [] })
    expect(fromTimelineSeries(toTimelineSeries(empty))).toEqual(empty)
  })

  it('is several times smaller than the points as the page sent them, for a month of eleven series', () => {
    const names = [...Array.from({ length: 10 }, (_, i) => `198.51.100.${100 + i}`), OTHER_IPS_SERIES]
    const month: CampaignTimeline = {
      series: names,
      otherIpCount: 40,
      points: Array.from({ length: 720 }, (_, h) => ({
        bucket: new Date(Date.UTC(2026, 1, 10) + h * 3_600_000).toISOString(),
        attemptsBySeries: Object.fromEntries(names.filter((_, s) => (h + s) % 3 !== 0).map((name, s) => [name, 1 + ((h * 7 + s) % 40)])),
      })),
    }
    expect(JSON.stringify(toTimelineSeries(month)).length * 3).toBeLessThan(JSON.stringify(month).length)
  })
})
