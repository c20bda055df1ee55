import type { ConnectorKind } from './connector-settings'
import { graphFetcher } from './fetchers/graph'
import { logAnalyticsFetcher } from './fetchers/log-analytics'
import { logscaleFetcher } from './fetchers/logscale'
import type { SliceFetcher } from './slice-fetcher'

const FETCHERS: Record<ConnectorKind, SliceFetcher> = {
  graph: graphFetcher,
  log_analytics: logAnalyticsFetcher,
  logscale: logscaleFetcher,
}

export function fetcherFor(kind: ConnectorKind): SliceFetcher {
  return FETCHERS[kind]
}
