/** Hash routes: `#/` instances, `#/instances/<id>` sessions, `#/instances/<id>/<tab>`. */
import { useEffect, useState } from 'preact/hooks'

/** Tabs of an instance page. */
export type InstanceTab = 'sessions' | 'statistics' | 'history'

/** Where the console is. */
export type Route =
  { page: 'instances' } | { page: 'instance'; instanceId: string; tab: InstanceTab }

const TABS: readonly InstanceTab[] = ['sessions', 'statistics', 'history']

/** Parses `location.hash`; anything unknown is the instance list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent)
  if (parts[0] === 'instances' && parts[1] !== undefined && parts[1] !== '') {
    const tab = TABS.find((candidate) => candidate === parts[2]) ?? 'sessions'
    return { page: 'instance', instanceId: parts[1], tab }
  }
  return { page: 'instances' }
}

/** The hash of `route`. */
export function hrefOf(route: Route): string {
  if (route.page === 'instances') return '#/'
  const base = `#/instances/${encodeURIComponent(route.instanceId)}`
  return route.tab === 'sessions' ? base : `${base}/${route.tab}`
}

/** The current route, following `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash))
    addEventListener('hashchange', changed)
    return () => removeEventListener('hashchange', changed)
  }, [])
  return route
}

/** Goes to `route` (adds a history entry). */
export function navigate(route: Route): void {
  location.hash = hrefOf(route)
}
