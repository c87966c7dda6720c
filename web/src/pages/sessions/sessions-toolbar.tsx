import { usePermission } from '../../api/permissions.ts'
import { GuardedButton } from '../../components/guarded-button.tsx'
import { formatCount } from '../../lib/format.ts'
import { REFRESH_CHOICES } from './use-sessions.ts'

/** Props of {@link SessionsToolbar}. */
export interface SessionsToolbarProps {
  instanceId: string
  shown: number
  total: number
  /** Selected rows the current filter shows: what Kill selected acts on. */
  selectedShown: number
  /** Selected rows the current filter hides: kept selected, never killed from this view. */
  selectedHidden: number
  filterEmpty: boolean
  intervalSeconds: number
  loading: boolean
  onInterval: (seconds: number) => void
  onRefresh: () => void
  onColumns: () => void
  onExport: (format: 'csv' | 'json') => void
  onKillSelected: () => void
  onKillFiltered: () => void
  onKillAll: () => void
}

/** Refresh, auto-refresh, columns, export and the three kills. */
export function SessionsToolbar(props: SessionsToolbarProps) {
  const { instanceId } = props
  const kill = usePermission('KillRedisSessions', instanceId)
  return (
    <div class="toolbar" role="toolbar" aria-label="Sessions actions">
      <span class="count" role="status" data-testid="row-count">
        {props.shown === props.total
          ? `${formatCount(props.total)} sessions`
          : `${formatCount(props.shown)} of ${formatCount(props.total)} sessions`}
        {props.selectedShown > 0 && ` · ${formatCount(props.selectedShown)} selected`}
        {props.selectedHidden > 0 &&
          ` (${formatCount(props.selectedHidden)} more selected, hidden by the filter)`}
      </span>
      <button type="button" onClick={props.onRefresh} aria-busy={props.loading}>
        {props.loading ? 'Refreshing…' : 'Refresh'}
      </button>
      <label>
        <span>Auto</span>
        <select
          value={String(props.intervalSeconds)}
          onChange={(event) => props.onInterval(Number(event.currentTarget.value))}
          data-testid="auto-refresh"
        >
          {REFRESH_CHOICES.map((seconds) => (
            <option value={String(seconds)} key={seconds}>
              {seconds === 0 ? 'off' : `${seconds} s`}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={props.onColumns}>
        Columns…
      </button>
      <button
        type="button"
        onClick={() => props.onExport('csv')}
        title="The rows shown, the columns shown"
      >
        Export CSV
      </button>
      <button
        type="button"
        onClick={() => props.onExport('json')}
        title="The rows shown, every field"
      >
        Export JSON
      </button>
      <span class="spacer" />
      {kill.denied && (
        <span class="read-only" role="note" title={kill.reason}>
          Read-only here: no permission to kill sessions
        </span>
      )}
      <GuardedButton
        action="KillRedisSessions"
        instanceId={instanceId}
        danger
        testId="kill-selected"
        blockedBecause={
          props.selectedShown > 0
            ? undefined
            : props.selectedHidden > 0
              ? 'The selected sessions are hidden by the filter: only rows shown are killed'
              : 'Select sessions first: click a row, Shift+click for a range'
        }
        title={
          props.selectedHidden > 0
            ? `Kills the ${formatCount(props.selectedShown)} selected rows shown, not the ${formatCount(props.selectedHidden)} hidden by the filter`
            : undefined
        }
        onClick={props.onKillSelected}
      >
        Kill selected{props.selectedShown > 0 ? ` (${formatCount(props.selectedShown)})` : ''}
      </GuardedButton>
      <GuardedButton
        action="KillRedisSessions"
        instanceId={instanceId}
        danger
        testId="kill-filtered"
        blockedBecause={
          props.filterEmpty ? 'Set a filter first; to kill everything use Kill all' : undefined
        }
        title="Dry run first: lists exactly what would die"
        onClick={props.onKillFiltered}
      >
        Kill by filter…
      </GuardedButton>
      <GuardedButton
        action={kill.denied ? 'KillInstanceAllSession' : 'KillRedisSessions'}
        instanceId={instanceId}
        danger
        testId="kill-all"
        title={
          kill.denied
            ? 'KillInstanceAllSession: the result is a count'
            : 'Dry run first: lists every session that will die; results per session'
        }
        onClick={props.onKillAll}
      >
        Kill all…
      </GuardedButton>
    </div>
  )
}
