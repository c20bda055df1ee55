'use client'

import { usePathname, useRouter } from 'next/navigation'

/** Chooses the dataset a page shows (or all of them); the choice is in the URL. */
export function DatasetPicker({ datasets, selected }: { datasets: { id: number; name: string }[]; selected: number | null }) {
  const router = useRouter()
  const pathname = usePathname()
  return (
    <label className="muted" style={{ display: 'flex', flexDirection: 'column', gap: 2, fontSize: '0.8rem' }}>
      Dataset
      <select value={selected ?? ''} onChange={(e) => router.push(e.target.value ? `${pathname}?dataset=${e.target.value}` : pathname)} name="dataset">
        <option value="">All datasets</option>
        {datasets.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </label>
  )
}
