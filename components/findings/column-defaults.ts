/** Hidden until the analyst asks for them (Columns menu): long lists and detail that widen every row. */
export const DEFAULT_HIDDEN_COLUMNS = ['usernameSample', 'appList', 'firstSeen', 'lastSeen', 'durationMinutes']
