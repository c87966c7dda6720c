/** 45 → `45s`, 3725 → `1h2m`, 90061 → `1d1h`: two units at most, for table cells. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ]
  let rest = seconds
  const parts: string[] = []
  for (const [unit, size] of units) {
    if (rest >= size || parts.length > 0) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
    if (parts.length === 2) break
  }
  return parts.join('')
}

/** 20504 → `20.0K`, bytes with binary prefixes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`
  const units = ['K', 'M', 'G', 'T']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)}${units[unit] ?? '?'}`
}
