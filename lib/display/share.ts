/**
 * A part of a whole as a whole percentage, for text. A part that is neither none nor all never
 * rounds to 0 % or 100 %: "2,802 (0%)" read as "no event lacks a user agent".
 */
export function shareText(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%'
  if (part >= whole) return '100%'
  const percent = Math.round((part / whole) * 100)
  if (percent < 1) return '<1%'
  if (percent > 99) return '>99%'
  return `${percent}%`
}
