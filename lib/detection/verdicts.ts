/** The reference rule's three verdicts, strongest first (safe to import in browser code). */
export const VERDICTS = ['High Confidence Enumeration', 'Moderate Enumeration', 'Low-Level Enumeration'] as const
export type Verdict = (typeof VERDICTS)[number]
