import { sampleGraphSignIns, sampleLogAnalyticsRows } from './fake-microsoft'
import { sampleLogScaleEvents } from './fake-logscale'

/**
 * Many sign-ins for connector pulls, as each service serves them: the format samples as
 * templates, each copy with its own id and time, spread evenly over [from, from + hours).
 */
export interface Synthetic {
  ids: string[]
  graph: Record<string, unknown>[]
  logAnalytics: Record<string, unknown>[]
  logscale: Record<string, unknown>[]
}

const guid = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

export function syntheticSignIns(count: number, from: Date, hours: number, prefix = 1): Synthetic {
  const graphT = sampleGraphSignIns()
  const laT = sampleLogAnalyticsRows()
  const lsT = sampleLogScaleEvents()
  const result: Synthetic = { ids: [], graph: [], logAnalytics: [], logscale: [] }
  const span = hours * 3_600_000
  for (let i = 0; i < count; i++) {
    const id = guid(prefix, i)
    const t = from.getTime() + Math.floor((i * span) / count)
    const iso = new Date(t).toISOString()
    result.ids.push(id)
    result.graph.push({ ...graphT[i % graphT.length], id, createdDateTime: iso })
    // Logged a few seconds after the sign-in, in the same slice unless it is the slice's last seconds.
    result.logAnalytics.push({ ...laT[i % laT.length], Id: id, CreatedDateTime: iso, TimeGenerated: iso })
    result.logscale.push({ ...lsT[i % lsT.length], id, '@id': `ls_${id}`, '@timestamp': t, time: iso })
  }
  result.ids.sort()
  return result
}
