import { NextResponse } from 'next/server'
import { listDatasets } from '@/lib/datasets/list-datasets'
import { withRole } from '@/lib/http/api-guard'

/** GET /api/datasets — every dataset with its imports. */
export const GET = withRole('viewer', async () => NextResponse.json({ datasets: await listDatasets() }))
