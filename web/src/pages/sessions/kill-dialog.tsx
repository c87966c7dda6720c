import { useEffect, useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { RpcError } from '../../api/rpc.ts'
import type { KillData, KillResult } from '../../api/types.ts'
import { Dialog } from '../../components/dialog.tsx'
import { formatCount } from '../../lib/format.ts'
import {
  countResults,
  previewOf,
  runKill,
  wouldKill,
  type KillPlan,
  type KillTarget,
} from './kill-plan.ts'

/** Rows listed at most in a preview or result list (the count is always exact). */
const LIST_LIMIT = 1000

type Step =
  | { step: 'previewing' }
  | { step: 'confirm'; targets: KillTarget[]; skipped: KillResult[] }
  | { step: 'killing' }
  | { step: 'done'; killed: number; results: KillResult[] | undefined }
  | { step: 'failed'; message: string }

/** Props of {@link KillDialog}. */
export interface KillDialogProps {
  instanceId: string
  plan: KillPlan
  /** `true` once something may have died (the page refreshes). */
  onClose: (changed: boolean) => void
}

/**
 * Confirms every kill naming the count. A filter kill (and Kill all, when the user may call
 * KillRedisSessions) is first a dry run whose list is exactly what the confirmed kill sends (by
 * NodeId and Id), so nothing else can die; protected sessions are listed as skipped. Results
 * are shown per session — except for KillInstanceAllSession, which answers only a count.
 */
export function KillDialog({ instanceId, plan, onClose }: KillDialogProps) {
  const { call } = useConsole()
  const preview = previewOf(plan)
  const [state, setState] = useState<Step>(() =>
    preview !== undefined
      ? { step: 'previewing' }
      : { step: 'confirm', targets: plan.mode === 'selected' ? plan.targets : [], skipped: [] }
  )
  const [typed, setTyped] = useState('')
  const failed = (error: unknown) =>
    setState({
      step: 'failed',
      message: error instanceof RpcError ? error.describe() : String(error),
    })

  useEffect(() => {
    if (preview === undefined) return
    runKill(call, instanceId, preview, true)
      .then((preview) =>
        setState({
          step: 'confirm',
          targets: wouldKill(preview.Sessions),
          skipped: preview.Sessions.filter((result) => result.Result !== 'would-kill'),
        })
      )
      .catch(failed)
  }, [])

  const confirm = async (targets: KillTarget[]) => {
    setState({ step: 'killing' })
    try {
      if (plan.mode === 'all' && !plan.perSession) {
        const data = await call<unknown>('KillInstanceAllSession', { InstanceId: instanceId }, true)
        setState({ step: 'done', killed: killedOf(data), results: undefined })
      } else {
        const data: KillData = await runKill(call, instanceId, { targets }, false)
        setState({ step: 'done', killed: data.Killed, results: data.Sessions })
      }
    } catch (error) {
      failed(error)
    }
  }

  const changed = state.step === 'done' || state.step === 'failed'
  const countOnly = plan.mode === 'all' && !plan.perSession
  const mustType = plan.mode === 'all'
  const count = (n: number) => `${formatCount(n)} session${n === 1 ? '' : 's'}`
  const title =
    plan.mode === 'all'
      ? `Kill every session of ${instanceId}`
      : plan.mode === 'filter'
        ? 'Kill by filter'
        : 'Kill selected sessions'
  return (
    <Dialog title={title} onClose={() => onClose(changed)} wide testId="kill-dialog">
      {plan.mode === 'filter' && <p class="muted">Filter: {plan.description}</p>}
      {state.step === 'previewing' && (
        <p role="status">Dry run: asking the server which sessions match…</p>
      )}
      {state.step === 'killing' && <p role="status">Killing…</p>}
      {state.step === 'failed' && (
        <p class="error" role="alert">
          {state.message}
        </p>
      )}
      {state.step === 'confirm' && countOnly && (
        <p class="warning">
          This closes <strong>all {formatCount(plan.total)} sessions</strong> on every node of{' '}
          <strong>{instanceId}</strong> (replication links and this service’s own connections
          excepted). Clients will reconnect if they are built to.
        </p>
      )}
      {state.step === 'confirm' && countOnly && (
        <p class="muted" data-testid="count-only-note">
          Your policies allow KillInstanceAllSession but not KillRedisSessions here, so the result
          is a count, not a list per session.
        </p>
      )}
      {state.step === 'confirm' && mustType && (
        <label class="field">
          <span>
            Type <code>{instanceId}</code> to confirm
          </span>
          <input
            value={typed}
            onInput={(event) => setTyped(event.currentTarget.value)}
            autoFocus
            data-testid="confirm-instance"
          />
        </label>
      )}
      {state.step === 'confirm' && !countOnly && (
        <>
          <p class="warning" data-testid="kill-count">
            {state.targets.length === 0
              ? 'No session would be killed.'
              : plan.mode === 'all'
                ? `All ${count(state.targets.length)} of ${instanceId} that can be killed will be (listed now; sessions that connect later are not touched):`
                : `${count(state.targets.length)} will be killed:`}
          </p>
          <SessionList items={state.targets} testId="kill-preview" />
          {state.skipped.length > 0 && (
            <details>
              <summary>
                {formatCount(state.skipped.length)} matching sessions will be left alone
              </summary>
              <SessionList items={state.skipped} />
            </details>
          )}
        </>
      )}
      {state.step === 'done' && (
        <>
          <p role="status" data-testid="kill-done">
            Killed {formatCount(state.killed)} session{state.killed === 1 ? '' : 's'}.
            {state.results !== undefined && ` ${summary(state.results)}`}
          </p>
          {state.results !== undefined && (
            <SessionList items={state.results} testId="kill-results" />
          )}
        </>
      )}
      <div class="actions">
        <button type="button" onClick={() => onClose(changed)}>
          {changed ? 'Close' : 'Cancel'}
        </button>
        {state.step === 'confirm' && (countOnly || state.targets.length > 0) && (
          <button
            type="button"
            class="danger"
            disabled={mustType && typed !== instanceId}
            onClick={() => void confirm(state.targets)}
            data-testid="confirm-kill"
          >
            {countOnly
              ? `Kill all ${formatCount(plan.total)} sessions`
              : plan.mode === 'all'
                ? `Kill all ${count(state.targets.length)}`
                : `Kill ${count(state.targets.length)}`}
          </button>
        )}
      </div>
    </Dialog>
  )
}

function SessionList({
  items,
  testId,
}: {
  items: readonly (KillTarget | KillResult)[]
  testId?: string
}) {
  return (
    <div class="kill-list" data-testid={testId}>
      <table>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col" class="num">
              Id
            </th>
            <th scope="col">Address</th>
            <th scope="col">Name</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {items.slice(0, LIST_LIMIT).map((item) => (
            <tr key={`${item.NodeId} ${item.Id}`} data-name={item.Name}>
              <td>{item.NodeId}</td>
              <td class="num">{item.Id}</td>
              <td>{item.Addr}</td>
              <td>{item.Name}</td>
              <td title={'Reason' in item ? item.Reason : undefined}>
                {'Result' in item ? item.Result : 'will be killed'}
                {'Reason' in item && item.Reason !== undefined ? ` — ${item.Reason}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length > LIST_LIMIT && (
        <p class="muted">…and {formatCount(items.length - LIST_LIMIT)} more.</p>
      )}
    </div>
  )
}

function summary(results: readonly KillResult[]): string {
  return Object.entries(countResults(results))
    .map(([kind, count]) => `${kind}: ${formatCount(count)}`)
    .join(', ')
}

function killedOf(data: unknown): number {
  if (
    typeof data === 'object' &&
    data !== null &&
    'Killed' in data &&
    typeof data.Killed === 'number'
  ) {
    return data.Killed
  }
  return 0
}
