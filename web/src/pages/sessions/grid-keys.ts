/** Selection and keyboard navigation of the sessions grid. */
import type { RefObject } from 'preact'
import { useMemo, useRef, useState } from 'preact/hooks'
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

/** A row remembered by the session it shows (NodeId + Id) and where it was last seen. */
interface RowMark {
  key: string
  position: number
}

/**
 * Click toggles a row, Shift+click adds the range from the last clicked row. The range anchor
 * and the keyboard's row are remembered by session, not by position, so they follow their
 * session through a sort, a filter or a refresh.
 */
export function useGridKeys(input: GridKeysInput): GridKeys {
  const { sessions, rows, selected, onSelectionChange, scroller, viewport, rowHeight } = input
  const [activeMark, setActiveMark] = useState<RowMark>({ key: '', position: 0 })
  const anchor = useRef<string | undefined>(undefined)

  const sessionAt = (position: number) => sessions[rows[position] ?? -1]
  const keyAt = (position: number) => {
    const session = sessionAt(position)
    return session === undefined ? '' : sessionKey(session)
  }
  /** Where the session `key` is shown now; `undefined` when the view does not show it. */
  const positionOf = (key: string, hint: number): number | undefined => {
    if (key === '') return undefined
    if (keyAt(hint) === key) return hint
    const found = rows.findIndex((index) => {
      const session = sessions[index]
      return session !== undefined && sessionKey(session) === key
    })
    return found < 0 ? undefined : found
  }

  // Found again only when the view changes (a scan of the rows), not at each scroll frame.
  const active = useMemo(() => {
    const last = Math.max(0, rows.length - 1)
    return Math.min(positionOf(activeMark.key, activeMark.position) ?? activeMark.position, last)
  }, [rows, sessions, activeMark])
  const setActive = (position: number) => setActiveMark({ key: keyAt(position), position })

  const selectRange = (from: number, to: number, next: Set<string>) => {
    for (let position = Math.min(from, to); position <= Math.max(from, to); position++) {
      const session = sessionAt(position)
      if (session !== undefined && protectionOf(session) === undefined)
        next.add(sessionKey(session))
    }
  }
  /** The anchor's position now; a hidden or vanished anchor starts from `fallback`. */
  const anchorPosition = (fallback: number) =>
    anchor.current === undefined ? fallback : (positionOf(anchor.current, -1) ?? fallback)

  const clickRow = (position: number, shift: boolean) => {
    setActive(position)
    const session = sessionAt(position)
    if (session === undefined || protectionOf(session) !== undefined) return
    const next = new Set(selected)
    const key = sessionKey(session)
    const from = shift ? positionOf(anchor.current ?? '', -1) : undefined
    if (from !== undefined) {
      selectRange(from, position, next)
    } else {
      if (next.has(key)) next.delete(key)
      else next.add(key)
      anchor.current = key
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
      selectRange(anchorPosition(active), target, next)
      if (anchor.current === undefined || positionOf(anchor.current, -1) === undefined) {
        anchor.current = keyAt(active)
      }
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
