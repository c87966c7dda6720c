/** Human-readable figures; the exact value goes in the cell's `title`. */

// One formatter, made once: `Number.prototype.toLocaleString` builds a new one per call, which
// costs more than rendering a whole row (measured: docs/console.md).
const GROUPED = new Intl.NumberFormat('en-US')
const CLOCK = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

const DURATION_UNITS: readonly [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'm'],
  [1, 's'],
]

/** `95` → `1m 35s`, `90061` → `1d 1h` (two largest units), `0` → `0s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return ''
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))}s`
  const parts: string[] = []
  let rest = Math.floor(seconds)
  for (const [size, unit] of DURATION_UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
    if (parts.length === 2) break
  }
  return parts.join(' ')
}

/** Exact form of a duration for tooltips: `90061 s`. */
export function exactSeconds(seconds: number): string {
  return `${GROUPED.format(seconds)} s`
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/** `20512` → `20.0 KiB`; below 1 KiB the exact count. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return ''
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`
}

/** Exact form of a byte count for tooltips: `20,512 bytes`. */
export function exactBytes(bytes: number): string {
  return `${GROUPED.format(bytes)} bytes`
}

/** `12345` → `12,345`. */
export function formatCount(value: number): string {
  return GROUPED.format(value)
}

/** Local wall-clock time of an epoch-ms timestamp, e.g. `14:03:27`. */
export function formatClock(ms: number): string {
  return CLOCK.format(ms)
}

/** ISO 8601 (UTC) of an epoch-ms timestamp, for tooltips. */
export function formatIso(ms: number): string {
  return new Date(ms).toISOString()
}
