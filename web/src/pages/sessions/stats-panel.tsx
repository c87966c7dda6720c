import { useMemo, useState } from 'preact/hooks'
import type { Session } from '../../api/types.ts'
import { formatCount } from '../../lib/format.ts'
import {
  DIMENSIONS,
  filterValueOf,
  groupSessions,
  SOURCE,
  type Dimension,
  type Group,
} from '../../lib/groups.ts'
import { AliasCell } from './alias-editor.tsx'

/** Props of {@link StatsPanel}. */
export interface StatsPanelProps {
  instanceId: string
  sessions: readonly Session[]
  /** A group was chosen: show its sessions. */
  onFilter: (dimension: Dimension, value: string) => void
  onAliasSaved: (source: string, alias: string) => void
}

const TOP = 10
/** Groups listed at most (the rest is summed in one line). */
const MAX_GROUPS = 500

/** Counts by source, name, user, db, node, command, library; a chart of the top sources. */
export function StatsPanel(props: StatsPanelProps) {
  const [dimension, setDimension] = useState<Dimension>(SOURCE)
  const groups = useMemo(
    () => groupSessions(props.sessions, dimension),
    [props.sessions, dimension]
  )
  const sources = useMemo(
    () => (dimension.by === 'ip' ? groups : groupSessions(props.sessions, SOURCE)),
    [props.sessions, dimension, groups]
  )
  const shown = groups.slice(0, MAX_GROUPS)
  const hidden = groups.slice(MAX_GROUPS).reduce((sum, group) => sum + group.count, 0)
  const isSource = dimension.by === 'ip'

  return (
    <div class="stats">
      <TopSourcesChart
        groups={sources.slice(0, TOP)}
        onPick={(key) => props.onFilter(SOURCE, key)}
      />
      <div class="stats-table">
        <div class="segmented" role="group" aria-label="Group sessions by">
          {DIMENSIONS.map((candidate) => (
            <button
              type="button"
              key={candidate.by}
              aria-pressed={candidate.by === dimension.by}
              onClick={() => setDimension(candidate)}
            >
              {candidate.label}
            </button>
          ))}
        </div>
        <table data-testid="stats-table">
          <caption class="sr-only">Sessions by {dimension.label}</caption>
          <thead>
            <tr>
              <th scope="col">{dimension.label}</th>
              {isSource && <th scope="col">Alias</th>}
              <th scope="col" class="num">
                Sessions
              </th>
              <th scope="col" class="num" title="Sessions with Idle 0">
                Active
              </th>
              <th scope="col" class="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((group) => (
              <tr key={group.key} data-group={group.key}>
                <th scope="row">
                  <button
                    type="button"
                    class="link"
                    title={`Show the sessions of ${group.key === '' ? '(none)' : group.key}`}
                    onClick={() => props.onFilter(dimension, filterValueOf(group.key))}
                  >
                    {group.key === '' ? <em>(none)</em> : group.key}
                  </button>
                </th>
                {isSource && (
                  <td>
                    <AliasCell
                      instanceId={props.instanceId}
                      source={group.key}
                      alias={group.alias}
                      onSaved={props.onAliasSaved}
                    />
                  </td>
                )}
                <td class="num">{formatCount(group.count)}</td>
                <td class="num">{formatCount(group.active)}</td>
                <td class="num">{share(group.count, props.sessions.length)}</td>
              </tr>
            ))}
            {hidden > 0 && (
              <tr>
                <td colSpan={isSource ? 5 : 4} class="muted">
                  {groups.length - MAX_GROUPS} more groups, {formatCount(hidden)} sessions
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  )
}

/** Horizontal bars (CSS), total with the active part darker; a click filters the table. */
function TopSourcesChart({ groups, onPick }: { groups: Group[]; onPick: (key: string) => void }) {
  const max = Math.max(1, ...groups.map((group) => group.count))
  return (
    <figure class="bar-chart" aria-labelledby="top-sources-title">
      <figcaption id="top-sources-title">Top sources</figcaption>
      <ol>
        {groups.map((group) => (
          <li key={group.key}>
            <button
              type="button"
              class="bar-row"
              onClick={() => onPick(group.key)}
              title={`${group.key}: ${group.count} sessions, ${group.active} active`}
            >
              <span class="bar-label">
                {group.key}
                {group.alias !== '' && <small> {group.alias}</small>}
              </span>
              <span class="bar-track" aria-hidden="true">
                <span class="bar" style={{ width: `${(group.count / max) * 100}%` }}>
                  <span
                    class="bar-active"
                    style={{ width: `${(group.active / Math.max(1, group.count)) * 100}%` }}
                  />
                </span>
              </span>
              <span class="bar-value">{formatCount(group.count)}</span>
            </button>
          </li>
        ))}
      </ol>
    </figure>
  )
}

function share(count: number, total: number): string {
  return total === 0 ? '' : `${((count / total) * 100).toFixed(1)} %`
}
