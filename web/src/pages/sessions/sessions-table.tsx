import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Session } from '../../api/types.ts'
import { cellText, type Column, type ColumnKey } from '../../lib/columns.ts'
import { protectionOf, sessionKey, type SortState } from '../../lib/view.ts'
import { useGridKeys } from './grid-keys.ts'

/** Fixed row height, px: what makes the grid virtualisable (CSS `--row-height` matches it). */
export const ROW_HEIGHT = 28
/** Rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 10
const CHECK_WIDTH = 36
/** The row the keyboard is on (`aria-activedescendant`); only that row carries an id. */
const ACTIVE_ROW_ID = 'sessions-active-row'

/** Props of {@link SessionsTable}. */
export interface SessionsTableProps {
  sessions: readonly Session[]
  /** Indices into `sessions`, in display order. */
  rows: readonly number[]
  columns: readonly Column[]
  sort: SortState | undefined
  onSort: (key: ColumnKey) => void
  selected: ReadonlySet<string>
  onSelectionChange: (next: Set<string>) => void
  /** Where to scroll when the grid appears (the position it had before another tab). */
  initialScrollTop: number
  /** Told the scroll position after each scroll. */
  onScrolled: (top: number) => void
}

/**
 * The sessions grid (ARIA `grid`), virtualised: whatever the row count, only the rows in view
 * plus {@link OVERSCAN} exist in the DOM, at fixed height, so 50,000 rows scroll like 50.
 * Click selects, Shift+click selects a range; keys: arrows, Page Up/Down, Home/End, Space,
 * Shift+Space, Ctrl+A, Escape.
 */
export function SessionsTable(props: SessionsTableProps) {
  const { sessions, rows, columns, sort, selected } = props
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(props.initialScrollTop)
  const [viewport, setViewport] = useState(600)
  const frame = useRef(0)

  // Back from another tab: the same rows in view as when the user left.
  useLayoutEffect(() => {
    const element = scroller.current
    if (element !== null) element.scrollTop = props.initialScrollTop
  }, [])

  useEffect(() => {
    const element = scroller.current
    if (element === null) return
    const observer = new ResizeObserver(() => setViewport(element.clientHeight))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  const keys = useGridKeys({ ...props, scroller, viewport, rowHeight: ROW_HEIGHT })
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN)
  const width = CHECK_WIDTH + columns.reduce((sum, column) => sum + column.width, 0)
  // Once per change of rows or selection, not per scroll frame.
  const { selectable, selectedShown } = useMemo(() => {
    let selectable = 0
    let selectedShown = 0
    for (const index of rows) {
      const session = sessions[index]
      if (session === undefined || protectionOf(session) !== undefined) continue
      selectable += 1
      if (selected.size > 0 && selected.has(sessionKey(session))) selectedShown += 1
    }
    return { selectable, selectedShown }
  }, [rows, sessions, selected])

  // Keys recycle row elements like a ring buffer: a row scrolled out of view hands its DOM
  // nodes to the row scrolling in (text updates, no unmount/mount), whether the step is a
  // wheel notch or a page (measured in docs/console.md).
  const ring = Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 2
  const slots = []
  for (let position = first; position < last; position++) {
    const session = sessions[rows[position] ?? -1]
    if (session === undefined) continue
    const key = sessionKey(session)
    const protection = protectionOf(session)
    const isSelected = selected.has(key)
    const classes = ['grid-row']
    if (isSelected) classes.push('selected')
    if (position === keys.active) classes.push('active')
    if (protection !== undefined) classes.push('protected')
    slots.push(
      <div
        key={position % ring}
        id={position === keys.active ? ACTIVE_ROW_ID : undefined}
        role="row"
        aria-rowindex={position + 2}
        aria-selected={protection === undefined ? isSelected : undefined}
        class={classes.join(' ')}
        style={{ top: `${position * ROW_HEIGHT}px`, width: `${width}px` }}
        onClick={(event) => keys.clickRow(position, event.shiftKey)}
      >
        <div
          role="gridcell"
          class="cell check"
          title={protection === undefined ? undefined : `Protected: ${protection}`}
        >
          {/* Drawn with CSS: 40 native checkboxes cost a whole frame per scroll step (measured). */}
          <span class="tick" aria-hidden="true" />
        </div>
        {columns.map((column) => {
          const { text, exact } = cellText(session, column)
          return (
            <div
              role="gridcell"
              class={column.kind === 'text' ? 'cell' : 'cell num'}
              style={{ width: `${column.width}px` }}
              title={exact ?? (text.length > column.width / 8 ? text : undefined)}
              data-col={column.key}
            >
              {text}
            </div>
          )
        })}
      </div>
    )
  }

  return (
    <div
      ref={scroller}
      class="grid"
      role="grid"
      aria-label="Sessions"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={rows.length > 0 ? ACTIVE_ROW_ID : undefined}
      tabIndex={0}
      data-testid="sessions-grid"
      onKeyDown={keys.onKeyDown}
      onScroll={(event) => {
        const top = event.currentTarget.scrollTop
        props.onScrolled(top)
        cancelAnimationFrame(frame.current)
        frame.current = requestAnimationFrame(() => setScrollTop(top))
      }}
    >
      <div class="grid-head" role="rowgroup">
        <div role="row" aria-rowindex={1} class="grid-row head" style={{ width: `${width}px` }}>
          <div role="columnheader" class="cell check">
            <input
              type="checkbox"
              aria-label="Select every selectable session shown"
              checked={selectable > 0 && selectedShown === selectable}
              indeterminate={selectedShown > 0 && selectedShown < selectable}
              onChange={keys.toggleAll}
            />
          </div>
          {columns.map((column) => (
            <div
              role="columnheader"
              class={column.kind === 'text' ? 'cell' : 'cell num'}
              style={{ width: `${column.width}px` }}
              aria-sort={
                sort?.key !== column.key ? undefined : sort.descending ? 'descending' : 'ascending'
              }
              title={column.description}
              data-col={column.key}
            >
              <button type="button" onClick={() => props.onSort(column.key)}>
                {column.label}
                <span aria-hidden="true" class="sort-mark">
                  {sort?.key === column.key ? (sort.descending ? '▼' : '▲') : ''}
                </span>
              </button>
            </div>
          ))}
        </div>
      </div>
      <div
        role="rowgroup"
        class="grid-body"
        style={{ height: `${rows.length * ROW_HEIGHT}px`, width: `${width}px` }}
      >
        {slots}
      </div>
      {rows.length === 0 && <p class="grid-empty">No session matches.</p>}
    </div>
  )
}
