/** One column of a terminal table. */
export interface Column<Row> {
  header: string
  /**
   * When the table is too wide, the column with the highest number goes first (the rightmost
   * of equals); `0` = never dropped: the columns without which a row means nothing.
   */
  priority: number
  align?: 'left' | 'right'
  /**
   * May be cut short, ending in `…`, when the table is still too wide once every droppable
   * column is gone (e.g. the key of a grouped count: long names, TOTAL and ACTIVE kept).
   */
  shrink?: boolean
  cell: (row: Row) => string
}

/** Gap between two columns. */
const GAP = 2
/** A cut column keeps at least this many characters (or its header's, if longer). */
const MIN_CUT_WIDTH = 6

/**
 * Renders rows as aligned text. When `width` (a terminal's columns) is given and the table is
 * wider, columns are dropped by `priority`, then `shrink` columns are cut, until it fits or
 * only the never-dropped columns are left at their narrowest. `width` undefined = keep all.
 * Lines end without trailing spaces; no final newline.
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
    kept.reduce((sum, index) => sum + (widths[index] ?? 0), 0) + GAP * (kept.length - 1)
  if (width !== undefined) {
    while (total() > width) {
      const drop = droppable(columns, kept)
      if (drop === undefined) break
      kept.splice(drop, 1)
    }
    for (const index of kept) {
      const column = columns[index]
      const excess = total() - width
      if (excess <= 0) break
      if (column?.shrink !== true) continue
      const current = widths[index] ?? 0
      const narrowest = Math.min(current, Math.max(MIN_CUT_WIDTH, column.header.length))
      widths[index] = Math.max(narrowest, current - excess)
    }
  }
  const line = (values: readonly string[]) =>
    kept
      .map((index) => {
        const size = widths[index] ?? 0
        const value = cut(values[index] ?? '', size)
        return columns[index]?.align === 'right' ? value.padStart(size) : value.padEnd(size)
      })
      .join(' '.repeat(GAP))
      .trimEnd()
  return [line(columns.map((column) => column.header)), ...cells.map(line)].join('\n')
}

/** Position in `kept` of the next column to drop: highest priority, rightmost of equals. */
function droppable<Row>(
  columns: readonly Column<Row>[],
  kept: readonly number[]
): number | undefined {
  if (kept.length <= 1) return undefined
  let drop: number | undefined
  let highest = 0
  kept.forEach((index, position) => {
    const priority = columns[index]?.priority ?? 0
    if (priority > 0 && priority >= highest) {
      highest = priority
      drop = position
    }
  })
  return drop
}

function cut(value: string, size: number): string {
  return value.length <= size ? value : `${value.slice(0, Math.max(0, size - 1))}…`
}
