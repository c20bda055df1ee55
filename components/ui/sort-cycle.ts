/**
 * What a click on a column header does to a server-sorted table's sort. A plain click on the
 * column the table is sorted by turns its direction around; on any other column it sorts by
 * that column alone, counts largest first and text A→Z first. A shift-click adds the column as
 * a further key (or turns an existing key around). Nothing ever drops a column from the sort,
 * so every column reaches both directions, whatever the starting view.
 */
export interface SortKey<Id extends string = string> {
  id: Id
  desc: boolean
}

export function nextSort<Id extends string>(current: SortKey<Id>[], isDefault: boolean, id: Id, descFirst: boolean, multi: boolean, maxKeys = 4): SortKey<Id>[] {
  // The default view's keys were not chosen by anyone: the first click says what the user wants.
  const explicit = isDefault ? [] : current
  const index = explicit.findIndex((s) => s.id === id)
  if (!multi) {
    if (index === 0) return [{ id, desc: !explicit[0].desc }]
    return [{ id, desc: descFirst }]
  }
  if (index >= 0) return explicit.map((s, i) => (i === index ? { id: s.id, desc: !s.desc } : s))
  const base = isDefault ? current.slice(0, 1) : explicit
  return [...base.filter((s) => s.id !== id), { id, desc: descFirst }].slice(-maxKeys)
}
