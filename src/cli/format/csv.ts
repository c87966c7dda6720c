/** RFC 4180 CSV: fields with `,`, `"`, CR or LF are quoted, quotes doubled; CRLF line ends. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[]
): string {
  const line = (values: readonly (string | number)[]) => values.map(field).join(',')
  return [line(header), ...rows.map(line)].join('\r\n') + '\r\n'
}

function field(value: string | number): string {
  const text = String(value)
  // A leading = + - @ would be run as a formula by spreadsheets (CSV injection); prefix a quote.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
