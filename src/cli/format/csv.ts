/** RFC 4180 CSV: fields with `,`, `"`, CR or LF are quoted, quotes doubled; CRLF line ends. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[]
): string {
  const line = (values: readonly (string | number)[]) => values.map(field).join(',')
  return [line(header), ...rows.map(line)].join('\r\n') + '\r\n'
}

/**
 * One field. Client names are chosen by clients (CLIENT SETNAME), so text a spreadsheet would
 * run as a formula — starting with `=`, `+`, `-`, `@`, tab or CR (CSV injection) — gets a
 * leading `'`, the rule of the console's export (web/src/lib/export.ts). Numbers are written
 * as they are: `-1` is a number, not a formula.
 */
export function field(value: string | number): string {
  if (typeof value === 'number') return String(value)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
