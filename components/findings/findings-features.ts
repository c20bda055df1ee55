import { columnVisibilityFeature, rowPaginationFeature, rowSelectionFeature, rowSortingFeature, tableFeatures } from '@tanstack/react-table'

/**
 * The findings table sorts, filters and pages in SQL (lib/findings/list-findings.ts): the
 * table only holds the state, so no client-side row models are registered. Selection feeds
 * the bulk triage actions.
 */
export const findingsFeatures = tableFeatures({ rowSortingFeature, columnVisibilityFeature, rowPaginationFeature, rowSelectionFeature })
export type FindingsFeatures = typeof findingsFeatures
