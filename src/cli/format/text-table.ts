/** One column of a terminal table; lower priority numbers are kept first when space runs out. */
export interface Column<Row> {
  header: string
  priority: number
  align?: 'left' | 'right'
  cell: (row: Row) => string
}

/**
 * Renders rows as aligned text, dropping the lowest-priority columns until the
 * table fits `width` characters (a terminal's columns); `width` undefined = keep all.
 */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  width?: number
): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)))
  const widths = columns.map((column, index) =>
    cells.reduce(
      (max, rowCells) => Math.max(max, rowCells[index]?.length ?? 0),
      column.header.length
    )
  )
  const kept = columns.map((_column, index) => index)
  const total = () =>
    kept.reduce((sum, index) => sum + (widths[index] ?? 0), 0) + 2 * (kept.length - 1)
  while (width !== undefined && kept.length > 1 && total() > width) {
    let drop = 0
    for (let i = 1; i < kept.length; i++) {
      if ((columns[kept[i] ?? 0]?.priority ?? 0) >= (columns[kept[drop] ?? 0]?.priority ?? 0))
        drop = i
    }
    kept.splice(drop, 1)
  }
  const line = (values: readonly string[]) =>
    kept
      .map((index) => {
        const value = values[index] ?? ''
        const size = widths[index] ?? 0
        return columns[index]?.align === 'right' ? value.padStart(size) : value.padEnd(size)
      })
      .join('  ')
      .trimEnd()
  return [line(columns.map((column) => column.header)), ...cells.map(line)].join('\n')
}
