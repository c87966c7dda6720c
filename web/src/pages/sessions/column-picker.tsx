import { useState } from 'preact/hooks'
import { Dialog } from '../../components/dialog.tsx'
import {
  COLUMNS,
  columnOf,
  DEFAULT_COLUMNS,
  isColumnKey,
  type ColumnKey,
} from '../../lib/columns.ts'

const STORAGE_KEY = 'redis-sessions.columns'

/** The columns chosen last time in this browser (or the defaults). */
export function loadColumns(): ColumnKey[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null')
    if (Array.isArray(stored)) {
      const keys = stored.filter(
        (key): key is ColumnKey => typeof key === 'string' && isColumnKey(key)
      )
      if (keys.length > 0) return keys
    }
  } catch {
    // unreadable: defaults
  }
  return [...DEFAULT_COLUMNS]
}

/** Remembers the chosen columns in this browser. */
export function saveColumns(keys: readonly ColumnKey[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(keys))
}

/** Props of {@link ColumnPicker}. */
export interface ColumnPickerProps {
  shown: readonly ColumnKey[]
  onChange: (keys: ColumnKey[]) => void
  onClose: () => void
}

/** Choose which columns show and in what order (buttons, so it works from the keyboard). */
export function ColumnPicker({ shown, onChange, onClose }: ColumnPickerProps) {
  const [order, setOrder] = useState<ColumnKey[]>(() => [
    ...shown,
    ...COLUMNS.map((column) => column.key).filter((key) => !shown.includes(key)),
  ])
  const [visible, setVisible] = useState(() => new Set(shown))
  const apply = (nextOrder: ColumnKey[], nextVisible: Set<ColumnKey>) => {
    setOrder(nextOrder)
    setVisible(nextVisible)
    onChange(nextOrder.filter((key) => nextVisible.has(key)))
  }
  const move = (index: number, delta: number) => {
    const next = [...order]
    const [item] = next.splice(index, 1)
    if (item === undefined) return
    next.splice(Math.max(0, Math.min(next.length, index + delta)), 0, item)
    apply(next, visible)
  }
  return (
    <Dialog title="Columns" onClose={onClose} testId="column-picker">
      <ol class="column-list">
        {order.map((key, index) => {
          const column = columnOf(key)
          return (
            <li key={key}>
              <label title={column.description}>
                <input
                  type="checkbox"
                  checked={visible.has(key)}
                  onChange={(event) => {
                    const next = new Set(visible)
                    if (event.currentTarget.checked) next.add(key)
                    else if (next.size > 1) next.delete(key)
                    apply(order, next)
                  }}
                />
                {column.label} <small>{key}</small>
              </label>
              <button
                type="button"
                aria-label={`Move ${column.label} up`}
                disabled={index === 0}
                onClick={() => move(index, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${column.label} down`}
                disabled={index === order.length - 1}
                onClick={() => move(index, 1)}
              >
                ↓
              </button>
            </li>
          )
        })}
      </ol>
      <div class="actions">
        <button
          type="button"
          onClick={() => apply([...COLUMNS.map((c) => c.key)], new Set(DEFAULT_COLUMNS))}
        >
          Defaults
        </button>
        <button type="button" class="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  )
}
