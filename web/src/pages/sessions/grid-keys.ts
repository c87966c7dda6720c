/** Selection and keyboard navigation of the sessions grid. */
import type { RefObject } from 'preact'
import { useRef, useState } from 'preact/hooks'
import type { Session } from '../../api/types.ts'
import { protectionOf, sessionKey } from '../../lib/view.ts'

interface GridKeysInput {
  sessions: readonly Session[]
  rows: readonly number[]
  selected: ReadonlySet<string>
  onSelectionChange: (next: Set<string>) => void
  scroller: RefObject<HTMLDivElement | null>
  /** Height of the scrolling area, px. */
  viewport: number
  rowHeight: number
}

/** What the grid wires to its rows, header checkbox and keyboard. */
export interface GridKeys {
  /** Position (in display order) of the row the keyboard is on. */
  active: number
  clickRow: (position: number, shift: boolean) => void
  toggleAll: () => void
  onKeyDown: (event: KeyboardEvent) => void
}

/** Click toggles a row, Shift+click adds the range from the last clicked row. */
export function useGridKeys(input: GridKeysInput): GridKeys {
  const { sessions, rows, selected, onSelectionChange, scroller, viewport, rowHeight } = input
  const [activeState, setActive] = useState(0)
  const anchor = useRef<number | undefined>(undefined)
  const active = Math.min(activeState, Math.max(0, rows.length - 1))

  const sessionAt = (position: number) => sessions[rows[position] ?? -1]

  const selectRange = (from: number, to: number, next: Set<string>) => {
    for (let position = Math.min(from, to); position <= Math.max(from, to); position++) {
      const session = sessionAt(position)
      if (session !== undefined && protectionOf(session) === undefined)
        next.add(sessionKey(session))
    }
  }

  const clickRow = (position: number, shift: boolean) => {
    setActive(position)
    const session = sessionAt(position)
    if (session === undefined || protectionOf(session) !== undefined) return
    const next = new Set(selected)
    if (shift && anchor.current !== undefined) {
      selectRange(anchor.current, position, next)
    } else {
      const key = sessionKey(session)
      if (next.has(key)) next.delete(key)
      else next.add(key)
      anchor.current = position
    }
    onSelectionChange(next)
  }

  const toggleAll = () => {
    const next = new Set(selected)
    const keys: string[] = []
    for (const index of rows) {
      const session = sessions[index]
      if (session !== undefined && protectionOf(session) === undefined)
        keys.push(sessionKey(session))
    }
    const all = keys.every((key) => next.has(key))
    for (const key of keys) {
      if (all) next.delete(key)
      else next.add(key)
    }
    onSelectionChange(next)
  }

  const moveTo = (position: number, extend: boolean) => {
    const target = Math.max(0, Math.min(rows.length - 1, position))
    if (extend) {
      const next = new Set(selected)
      selectRange(anchor.current ?? active, target, next)
      anchor.current ??= active
      onSelectionChange(next)
    }
    setActive(target)
    const element = scroller.current
    if (element === null) return
    // The sticky header covers one row at the top of the scrolling area.
    const top = target * rowHeight
    if (top < element.scrollTop) element.scrollTop = top
    else if (top + 2 * rowHeight > element.scrollTop + viewport) {
      element.scrollTop = top + 2 * rowHeight - viewport
    }
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget || rows.length === 0) return
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 2)
    const extend = event.shiftKey
    const commands: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1, extend),
      ArrowUp: () => moveTo(active - 1, extend),
      PageDown: () => moveTo(active + page, extend),
      PageUp: () => moveTo(active - page, extend),
      Home: () => moveTo(0, extend),
      End: () => moveTo(rows.length - 1, extend),
      ' ': () => clickRow(active, extend),
      Escape: () => onSelectionChange(new Set()),
    }
    const command =
      event.key === 'a' && (event.ctrlKey || event.metaKey) ? toggleAll : commands[event.key]
    if (command === undefined) return
    event.preventDefault()
    command()
  }

  return { active, clickRow, toggleAll, onKeyDown }
}
