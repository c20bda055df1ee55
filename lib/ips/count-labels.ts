/**
 * One name per count (browser-safe): a total on a page and the tooltip of its chart use the same
 * words for the same number, and say which codes they count.
 * - targeted: distinct usernames with the rule's codes (50034, 50053, 50055, 50056): what the rule
 *   and a finding's "Users" count;
 * - probed: distinct usernames with any code that tells the prober whether the account exists
 *   (the rule's codes, 50126 and 50057): what the yield splits into "not found" + "confirmed".
 */
export const TARGETED_LABEL = 'Targeted usernames (rule codes)'
export const PROBED_LABEL = 'Names probed (rule codes + 50126/50057)'
