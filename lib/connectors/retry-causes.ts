/** Why a connector request was retried (a run counts each cause; the run page shows them). */
export type RetryCause = 'throttled' | 'unavailable' | 'cutBody' | 'network' | 'tokenExpired'

export const RETRY_CAUSE_LABELS: Record<RetryCause, string> = {
  throttled: '429 throttled',
  unavailable: '5xx unavailable',
  cutBody: 'body cut off',
  network: 'network error',
  tokenExpired: 'token expired',
}
