/**
 * Hidden until the analyst asks for them (Columns menu): long lists and detail that widen every
 * row, so the default table fits a 1440 px screen. The review queue shows what a lead reviews.
 */
export const DEFAULT_HIDDEN_COLUMNS = ['clientAppUsed', 'usernameSample', 'appList', 'firstSeen', 'lastSeen', 'durationMinutes', 'classification', 'reason', 'review', 'dataset']
export const REVIEW_HIDDEN_COLUMNS = ['usernameSample', 'appList', 'firstSeen', 'lastSeen', 'durationMinutes', 'clientAppUsed', 'userAgent', 'enumerationRatePerMin', 'confirmedAccounts', 'status', 'severity']
