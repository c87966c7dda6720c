import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { usePermissionChecks } from '../../api/ask-permissions.ts'
import { permissionOf, type PermissionQuestion } from '../../api/permissions.ts'
import type { Session } from '../../api/types.ts'
import { columnOf, type ColumnKey } from '../../lib/columns.ts'
import { download } from '../../lib/download.ts'
import { exportFileName, toCsv, toJson } from '../../lib/export.ts'
import {
  compileFilters,
  describeFilters,
  hasConsoleOnlyFilter,
  NO_FILTERS,
  serverFilterParams,
  type Filters,
} from '../../lib/filters.ts'
import { formatClock, formatCount, formatIso } from '../../lib/format.ts'
import { hrefOf, navigate, type InstanceTab } from '../../lib/router.ts'
import { sessionKey, viewOf, type SortState } from '../../lib/view.ts'
import { ColumnPicker, loadColumns, saveColumns } from './column-picker.tsx'
import { FilterBar } from './filter-bar.tsx'
import { HistoryTab } from './history-tab.tsx'
import { KillDialog } from './kill-dialog.tsx'
import type { KillPlan, KillTarget } from './kill-plan.ts'
import { NodeStatusBar } from './node-status.tsx'
import { SessionsTable } from './sessions-table.tsx'
import { SessionsToolbar } from './sessions-toolbar.tsx'
import { InsightsPanel } from './insights-panel.tsx'
import { StatsPanel } from './stats-panel.tsx'
import { useAliasPatches } from './use-alias-patches.ts'
import { useSessions } from './use-sessions.ts'

const TABS: readonly { tab: InstanceTab; label: string }[] = [
  { tab: 'sessions', label: 'Sessions' },
  { tab: 'statistics', label: 'Statistics' },
  { tab: 'history', label: 'History' },
]

/** What the sessions page asks before showing its buttons (kills, alias edits). */
function questionsOf(instanceId: string): PermissionQuestion[] {
  return [
    { action: 'KillRedisSessions', instanceId },
    { action: 'KillInstanceAllSession', instanceId },
    { action: 'SetRedisClientAlias', instanceId },
    { action: 'DeleteRedisClientAlias', instanceId },
    // Aliases for every instance (the editor's "all instances" box) are checked on `*`.
    { action: 'SetRedisClientAlias' },
    { action: 'DeleteRedisClientAlias' },
  ]
}

/** One instance: its sessions, statistics and history. */
export function SessionsPage({ instanceId, tab }: { instanceId: string; tab: InstanceTab }) {
  const [intervalSeconds, setIntervalSeconds] = useState(0)
  const listing = useSessions(instanceId, intervalSeconds)
  const aliases = useAliasPatches(listing.data, listing.refresh)
  const sessions: readonly Session[] = aliases.sessions
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [sort, setSort] = useState<SortState>()
  const [columnKeys, setColumnKeys] = useState<ColumnKey[]>(loadColumns)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [killPlan, setKillPlan] = useState<KillPlan>()
  const [pickingColumns, setPickingColumns] = useState(false)

  const compiled = useMemo(() => compileFilters(filters), [filters])
  const rows = useMemo(() => viewOf(sessions, compiled.matches, sort), [sessions, compiled, sort])
  const columns = useMemo(() => columnKeys.map(columnOf), [columnKeys])
  // The grid's scroll position, kept while the Statistics or History tab replaces the grid.
  const scrollTop = useRef(0)

  // Every button of the page knows before any click whether the user's policies allow it.
  usePermissionChecks(useMemo(() => questionsOf(instanceId), [instanceId]))

  // A refresh keeps the selection of sessions that still exist.
  useEffect(() => {
    setSelected((old) => {
      if (old.size === 0) return old
      const alive = new Set(sessions.map(sessionKey))
      const kept = new Set([...old].filter((key) => alive.has(key)))
      return kept.size === old.size ? old : kept
    })
  }, [sessions])

  const targetsOf = (keep: (session: Session) => boolean): KillTarget[] =>
    rows.flatMap((index) => {
      const session = sessions[index]
      return session !== undefined && keep(session)
        ? [{ NodeId: session.NodeId, Id: session.Id, Addr: session.Addr, Name: session.Name }]
        : []
    })
  // Kill selected acts on the selected rows the filter shows: what its label counts, what its
  // dialog lists and what it sends. Selected rows the filter hides stay selected, untouched.
  const selectedShown = useMemo(() => {
    if (selected.size === 0) return 0
    let count = 0
    for (const index of rows) {
      const session = sessions[index]
      if (session !== undefined && selected.has(sessionKey(session))) count += 1
    }
    return count
  }, [rows, sessions, selected])

  const exportView = (format: 'csv' | 'json') => {
    const timestamp = listing.data?.Timestamp ?? Date.now()
    if (format === 'csv') {
      download(
        exportFileName(instanceId, timestamp, 'csv'),
        toCsv(sessions, rows, columnKeys),
        'text/csv'
      )
    } else {
      download(
        exportFileName(instanceId, timestamp, 'json'),
        toJson(sessions, rows),
        'application/json'
      )
    }
  }

  const data = listing.data
  const active = useMemo(() => sessions.filter((session) => session.Idle === 0).length, [sessions])
  return (
    <section class="page instance-page" aria-labelledby="instance-title">
      <div class="page-head">
        <h1 id="instance-title">
          <a href={hrefOf({ page: 'instances' })} class="crumb">
            Instances
          </a>{' '}
          / {instanceId}
        </h1>
        {data !== undefined && (
          <p class="summary" data-testid="summary">
            <span>
              <strong>{formatCount(data.Total)}</strong> sessions
            </span>
            <span>
              <strong>{formatCount(active)}</strong> active
            </span>
            <span>
              <strong>{formatCount(data.SourceStats.length)}</strong>{' '}
              {data.SourceStats.length === 1 ? 'source' : 'sources'}
            </span>
            <span title={formatIso(data.Timestamp)}>listed at {formatClock(data.Timestamp)}</span>
          </p>
        )}
      </div>
      {listing.error !== undefined && (
        <p class="banner error" role="alert" data-testid="sessions-error">
          {data === undefined
            ? ''
            : `Refresh failed; showing the list of ${formatClock(data.Timestamp)}. `}
          {listing.error.describe()}
        </p>
      )}
      {data !== undefined && <NodeStatusBar data={data} />}
      <nav class="tabs" aria-label="Instance views">
        {TABS.map((item) => (
          <a
            key={item.tab}
            href={hrefOf({ page: 'instance', instanceId, tab: item.tab })}
            aria-current={item.tab === tab ? 'page' : undefined}
          >
            {item.label}
          </a>
        ))}
      </nav>
      {tab === 'sessions' && (
        <>
          <FilterBar
            filters={filters}
            compiled={compiled}
            nodes={data?.Nodes ?? []}
            onChange={setFilters}
          />
          <SessionsToolbar
            instanceId={instanceId}
            shown={rows.length}
            total={sessions.length}
            selectedShown={selectedShown}
            selectedHidden={selected.size - selectedShown}
            filterEmpty={compiled.empty}
            intervalSeconds={intervalSeconds}
            loading={listing.loading}
            onInterval={setIntervalSeconds}
            onRefresh={listing.refresh}
            onColumns={() => setPickingColumns(true)}
            onExport={exportView}
            onKillSelected={() =>
              setKillPlan({
                mode: 'selected',
                targets: targetsOf((s) => selected.has(sessionKey(s))),
              })
            }
            onKillFiltered={() => {
              const consoleOnly = hasConsoleOnlyFilter(filters)
              setKillPlan({
                mode: 'filter',
                filterParams: consoleOnly ? undefined : serverFilterParams(filters),
                targets: consoleOnly ? targetsOf(() => true) : [],
                description: describeFilters(filters),
              })
            }}
            onKillAll={() =>
              setKillPlan({
                mode: 'all',
                total: data?.Total ?? 0,
                perSession: !permissionOf('KillRedisSessions', instanceId).denied,
              })
            }
          />
          {data === undefined && listing.error === undefined ? (
            <p class="muted">Listing sessions…</p>
          ) : (
            <SessionsTable
              sessions={sessions}
              rows={rows}
              columns={columns}
              sort={sort}
              onSort={(key) =>
                setSort((old) =>
                  old?.key !== key
                    ? { key, descending: false }
                    : old.descending
                      ? undefined
                      : { key, descending: true }
                )
              }
              selected={selected}
              onSelectionChange={setSelected}
              initialScrollTop={scrollTop.current}
              onScrolled={(top) => {
                scrollTop.current = top
              }}
            />
          )}
        </>
      )}
      {tab === 'statistics' && (
        <InsightsPanel
          instanceId={instanceId}
          onShow={(shown, order) => {
            setFilters({ ...NO_FILTERS, ...shown })
            if (order !== undefined) setSort(order)
            navigate({ page: 'instance', instanceId, tab: 'sessions' })
          }}
        />
      )}
      {tab === 'statistics' && (
        <StatsPanel
          instanceId={instanceId}
          sessions={sessions}
          onAliasSaved={aliases.saved}
          onFilter={(dimension, value) => {
            setFilters({ ...NO_FILTERS, [dimension.filter]: value })
            navigate({ page: 'instance', instanceId, tab: 'sessions' })
          }}
        />
      )}
      {tab === 'history' && <HistoryTab instanceId={instanceId} />}
      {pickingColumns && (
        <ColumnPicker
          shown={columnKeys}
          onChange={(keys) => {
            setColumnKeys(keys)
            saveColumns(keys)
          }}
          onClose={() => setPickingColumns(false)}
        />
      )}
      {killPlan !== undefined && (
        <KillDialog
          instanceId={instanceId}
          plan={killPlan}
          onClose={(changed) => {
            setKillPlan(undefined)
            // The refresh drops killed sessions from the selection; the rest stays selected.
            if (changed) listing.refresh()
          }}
        />
      )}
    </section>
  )
}
