import { integerParam, optionalString } from '../params.ts'

/** RAM's `MaxItems` default and ceiling for the List actions. */
export const DEFAULT_MAX_ITEMS = 100
export const MAX_MAX_ITEMS = 1000

/** Which page a RAM-style List call asks for. */
export interface PageRequest {
  /** The `Marker` of the previous answer: the key of its last item. */
  marker: string | undefined
  maxItems: number
}

/** One page: RAM's `IsTruncated` and, when truncated, the `Marker` of the next call. */
export interface Page<T> {
  items: T[]
  isTruncated: boolean
  marker: string | undefined
}

/** Reads RAM's `Marker` and `MaxItems` (1–1000, default 100). */
export function pageParams(params: ReadonlyMap<string, string>): PageRequest {
  const marker = optionalString(params, 'Marker', 256)
  const maxItems =
    integerParam(params, 'MaxItems', { min: 1, max: MAX_MAX_ITEMS }) ?? DEFAULT_MAX_ITEMS
  return { marker: marker === '' ? undefined : marker, maxItems }
}

/**
 * Cuts one page out of `items`. Items are ordered by key in code-unit order here rather than
 * trusting the database's collation (PostgreSQL's may differ from SQLite's), so a marker
 * always means the same position; an item deleted between calls does not break the walk.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest
): Page<T> {
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)))
  const { marker } = request
  const rest = marker === undefined ? sorted : sorted.filter((item) => keyOf(item) > marker)
  const page = rest.slice(0, request.maxItems)
  const isTruncated = rest.length > page.length
  const last = page.at(-1)
  return {
    items: page,
    isTruncated,
    marker: isTruncated && last !== undefined ? keyOf(last) : undefined,
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
