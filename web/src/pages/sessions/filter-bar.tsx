import type { NodeStatus } from '../../api/types.ts'
import { NO_FILTERS, type CompiledFilters, type Filters } from '../../lib/filters.ts'

/** Props of {@link FilterBar}. */
export interface FilterBarProps {
  filters: Filters
  compiled: CompiledFilters
  nodes: readonly NodeStatus[]
  onChange: (next: Filters) => void
}

type TextFilter = Exclude<keyof Filters, 'node' | 'keyword'>

const TEXT_FILTERS: readonly {
  key: TextFilter
  label: string
  placeholder: string
  size: number
}[] = [
  { key: 'clientIp', label: 'Source IP / CIDR', placeholder: '10.0.0.0/8', size: 13 },
  { key: 'name', label: 'Name', placeholder: 'glob: web-*', size: 10 },
  { key: 'user', label: 'User', placeholder: 'default', size: 7 },
  { key: 'db', label: 'Db', placeholder: '0', size: 3 },
  { key: 'cmd', label: 'Cmd', placeholder: 'blpop', size: 7 },
  { key: 'minIdle', label: 'Idle ≥ (s)', placeholder: '600', size: 5 },
  { key: 'flags', label: 'Flags', placeholder: 'P', size: 4 },
  { key: 'libName', label: 'Library', placeholder: 'redis-py', size: 8 },
]

/**
 * Keyword search and the structured filters. Name is a glob (`*`, `?`); Name, User and Library
 * take `(none)` for sessions without one; Flags keeps sessions having every letter typed.
 */
export function FilterBar({ filters, compiled, nodes, onChange }: FilterBarProps) {
  const set = (key: keyof Filters, value: string) => onChange({ ...filters, [key]: value })
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter sessions"
      onSubmit={(e) => e.preventDefault()}
    >
      <label class="keyword">
        <span class="sr-only">Search</span>
        <input
          type="search"
          placeholder="Search address, name, alias, user, cmd…"
          value={filters.keyword}
          onInput={(event) => set('keyword', event.currentTarget.value)}
          data-filter="keyword"
        />
      </label>
      <label>
        <span>Node</span>
        <select
          value={filters.node}
          onChange={(event) => set('node', event.currentTarget.value)}
          data-filter="node"
        >
          <option value="">all nodes</option>
          {nodes.map((node) => (
            <option value={node.NodeId} key={node.NodeId}>
              {node.NodeId} ({node.Role})
            </option>
          ))}
        </select>
      </label>
      {TEXT_FILTERS.map(({ key, label, placeholder, size }) => {
        const error = compiled.errors[key]
        return (
          <label key={key} class={error === undefined ? undefined : 'invalid'} title={error}>
            <span>{label}</span>
            <input
              value={filters[key]}
              placeholder={placeholder}
              size={size}
              aria-invalid={error === undefined ? undefined : 'true'}
              onInput={(event) => set(key, event.currentTarget.value)}
              data-filter={key}
            />
          </label>
        )
      })}
      <button type="button" disabled={compiled.empty} onClick={() => onChange(NO_FILTERS)}>
        Clear
      </button>
    </form>
  )
}
