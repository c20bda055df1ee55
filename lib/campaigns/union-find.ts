/**
 * Connected components of the source graph. The candidate pairs come out of SQL already cut to
 * a few per source (see sql/link-sources.sql and overlap-pairs.ts), so a plain disjoint-set forest in memory is
 * enough: near-linear in the number of pairs, and simpler than a recursive CTE, which would
 * walk every path instead of every edge.
 */
export function connectedComponents(edges: readonly (readonly [number, number])[]): Map<number, number> {
  const parent = new Map<number, number>()
  const find = (node: number): number => {
    let root = node
    for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root)) root = up
    // Path compression: point everything on the way straight at the root.
    for (let current = node; current !== root; ) {
      const next = parent.get(current) as number
      parent.set(current, root)
      current = next
    }
    return root
  }
  for (const [a, b] of edges) {
    if (!parent.has(a)) parent.set(a, a)
    if (!parent.has(b)) parent.set(b, b)
    const rootA = find(a)
    const rootB = find(b)
    // The smaller id wins, so a component's label does not depend on the order of the pairs.
    if (rootA !== rootB) parent.set(Math.max(rootA, rootB), Math.min(rootA, rootB))
  }
  const components = new Map<number, number>()
  for (const node of parent.keys()) components.set(node, find(node))
  return components
}
