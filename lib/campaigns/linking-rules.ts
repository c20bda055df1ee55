import { EXISTING_ACCOUNT_CODES, NOT_FOUND_CODES, type ExtendedSettings } from '@/lib/detection/extended-settings'

/**
 * The fixed parts of campaign grouping; the gap and the tiers come from the dataset's settings
 * (refresh-campaigns.ts says how the rules combine).
 */

/**
 * Rotating sprays meet mostly existing accounts, which answer 50126 (wrong password) or 50057
 * (disabled) — codes the reference rule does not count — so a campaign counts them as well.
 */
export const SPRAY_CODES = ['50126', '50057'] as const

/** The codes whose failed sign-ins make up campaign sources for these settings. */
export function campaignErrorCodes(settings: Pick<ExtendedSettings, 'errorCodes'>): string[] {
  return [...new Set([...settings.errorCodes, ...SPRAY_CODES])].sort()
}

export const LINKING = {
  /**
   * A source (IP, client app, user agent) whose sign-ins are mostly something other than these
   * failures is people at work: an office NAT, a home router, a phone. Sprayers fail nearly
   * every time. Only sources with failures above this share take part in campaigns, which
   * keeps office egress addresses (many users, many browsers, a few typos) from looking like
   * user-agent rotation.
   */
  minFailureShare: 0.5,
  /** Overlapping target lists: at least this many usernames in common … */
  minSharedUsernames: 5,
  /** … making up at least this share of the smaller list. */
  minSharedFraction: 0.5,
  /**
   * Overlap is counted between each source and the next this many sources (in time order) that
   * tried the same username: exact while no name was tried by more sources than that, bounded
   * work when thousands of proxies spray one list (see overlap-pairs.ts).
   */
  overlapNeighbours: 25,
  /**
   * Cadence: a scheduler sends attempts at a fixed interval whatever address or user agent it
   * rotates to; people and retry loops do not keep one. A source has a cadence when it made at
   * least this many attempts …
   */
  cadenceMinAttempts: 5,
  /** … and the middle half of its gaps lies within this share of their median. */
  cadenceTolerance: 0.25,
  /** Cadences are alike when their medians differ by less than this factor (10 %). */
  cadenceRatio: 1.1,
  /**
   * What each source's usernames revealed under these codes is kept with its totals until its
   * address gets events (sql/read-source-profiles.sql): a release that changes them, or the
   * failure share above, must forget it with a migration (profile_known = false).
   */
  existingAccountCodes: EXISTING_ACCOUNT_CODES,
  notFoundCodes: NOT_FOUND_CODES,
} as const
