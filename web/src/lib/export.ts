/** Export of the current view: CSV (shown columns, exact values) or JSON (DAS session objects). */
import type { Session } from '../api/types.ts'
import { cellValue, type ColumnKey } from './columns.ts'

/**
 * RFC 4180 field. Client names are chosen by clients (CLIENT SETNAME), so text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`.
 */
function csvField(value: string | number | undefined): string {
  if (value === undefined) return ''
  if (typeof value === 'number') return String(value)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** CSV text: a header of column labels, then one line per row, CRLF line ends. */
export function toCsv(
  sessions: readonly Session[],
  rows: readonly number[],
  keys: readonly ColumnKey[]
) {
  const lines = [keys.join(',')]
  for (const index of rows) {
    const session = sessions[index]
    if (session === undefined) continue
    lines.push(keys.map((key) => csvField(cellValue(session, key))).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

/** JSON text: the rows' session objects as GetRedisAllSession returned them. */
export function toJson(sessions: readonly Session[], rows: readonly number[]): string {
  const picked: Session[] = []
  for (const index of rows) {
    const session = sessions[index]
    if (session !== undefined) picked.push(session)
  }
  return JSON.stringify(picked, null, 1)
}

/** `sessions-<instance>-<yyyymmdd-hhmmss>.<ext>` (local time of the snapshot). */
export function exportFileName(instanceId: string, timestamp: number, extension: string): string {
  const date = new Date(timestamp)
  const pad = (value: number) => String(value).padStart(2, '0')
  const stamp =
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  return `sessions-${instanceId}-${stamp}.${extension}`
}
