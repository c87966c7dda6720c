import { useCallback, useEffect, useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { RpcError } from '../../api/rpc.ts'
import type { Instance, InstancesPage as InstancesData } from '../../api/types.ts'
import { Dialog } from '../../components/dialog.tsx'
import { GuardedButton } from '../../components/guarded-button.tsx'
import { formatClock, formatCount, formatIso } from '../../lib/format.ts'
import { hrefOf } from '../../lib/router.ts'
import { InstanceForm } from './instance-form.tsx'
import { useInstanceStatuses, type InstanceStatus } from './instance-status.ts'

const PAGE_SIZE = 100

/** Every registered instance with its live status; add, edit, remove. */
export function InstancesPage() {
  const { call } = useConsole()
  const [instances, setInstances] = useState<Instance[]>()
  const [error, setError] = useState<string>()
  const [round, setRound] = useState(0)
  const [editing, setEditing] = useState<Instance | 'new'>()
  const [removing, setRemoving] = useState<Instance>()

  const load = useCallback(async () => {
    try {
      const all: Instance[] = []
      for (let page = 1; ; page++) {
        const data = await call<InstancesData>('DescribeRedisInstances', {
          PageNumber: String(page),
          PageSize: String(PAGE_SIZE),
        })
        all.push(...data.Instances)
        if (all.length >= data.Total || data.Instances.length === 0) break
      }
      setInstances(all)
      setError(undefined)
    } catch (caught) {
      setError(caught instanceof RpcError ? caught.describe() : String(caught))
    }
  }, [call])

  useEffect(() => {
    void load()
  }, [load, round])
  const statuses = useInstanceStatuses(
    (instances ?? []).map((instance) => instance.InstanceId),
    round
  )
  const reload = () => setRound((value) => value + 1)

  return (
    <section class="page" aria-labelledby="instances-title">
      <div class="page-head">
        <h1 id="instances-title">Instances</h1>
        <span class="spacer" />
        <button type="button" onClick={reload}>
          Refresh
        </button>
        <GuardedButton
          action="AddRedisInstance"
          onClick={() => setEditing('new')}
          testId="add-instance"
        >
          Add instance
        </GuardedButton>
      </div>
      {error !== undefined && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {instances === undefined && error === undefined && <p class="muted">Loading…</p>}
      {instances?.length === 0 && (
        <p class="empty">
          No instance yet. Add one to see its sessions — or from a shell:{' '}
          <code>npx redis-sessions instances add r-prod-cache redis://host:6379</code>
        </p>
      )}
      {instances !== undefined && instances.length > 0 && (
        <div class="table-wrap">
          <table class="instances">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Topology</th>
                <th scope="col">Endpoints</th>
                <th scope="col" class="num">
                  Nodes
                </th>
                <th scope="col" class="num">
                  Sessions
                </th>
                <th scope="col">Status</th>
                <th scope="col">Description</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {instances.map((instance) => (
                <InstanceRow
                  key={instance.InstanceId}
                  instance={instance}
                  status={statuses.get(instance.InstanceId)}
                  onEdit={() => setEditing(instance)}
                  onRemove={() => setRemoving(instance)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== undefined && (
        <InstanceForm
          instance={editing === 'new' ? undefined : editing}
          onDone={(saved) => {
            setEditing(undefined)
            if (saved) reload()
          }}
        />
      )}
      {removing !== undefined && (
        <RemoveDialog
          instance={removing}
          onDone={(removed) => {
            setRemoving(undefined)
            if (removed) reload()
          }}
        />
      )}
    </section>
  )
}

function InstanceRow(props: {
  instance: Instance
  status: InstanceStatus | undefined
  onEdit: () => void
  onRemove: () => void
}) {
  const { instance, status } = props
  const id = instance.InstanceId
  return (
    <tr data-instance={id}>
      <th scope="row">
        <a href={hrefOf({ page: 'instance', instanceId: id, tab: 'sessions' })}>{id}</a>
      </th>
      <td>{instance.Topology}</td>
      <td class="endpoints" title={instance.Endpoints.join('\n')}>
        {instance.Endpoints.join(', ')}
        {instance.Tls.Enabled && <span class="tag">TLS</span>}
      </td>
      <td class="num">
        {status?.state === 'ok' || status?.state === 'partial'
          ? `${status.nodesOk}/${status.nodes}`
          : ''}
      </td>
      <td class="num">
        {status?.state === 'ok' || status?.state === 'partial' ? formatCount(status.sessions) : ''}
      </td>
      <td>
        <StatusBadge status={status} />
      </td>
      <td class="description">{instance.Description}</td>
      <td class="row-actions">
        <GuardedButton action="ModifyRedisInstance" instanceId={id} onClick={props.onEdit}>
          Edit
        </GuardedButton>
        <GuardedButton action="DeleteRedisInstance" instanceId={id} onClick={props.onRemove} danger>
          Remove
        </GuardedButton>
      </td>
    </tr>
  )
}

function StatusBadge({ status }: { status: InstanceStatus | undefined }) {
  if (status === undefined || status.state === 'loading')
    return <span class="badge">checking…</span>
  if (status.state === 'error') {
    return (
      <span class="badge bad" title={status.message}>
        {status.message.split(':', 1)[0]}
      </span>
    )
  }
  const label = status.state === 'ok' ? 'ok' : 'partial'
  return (
    <span
      class={`badge ${status.state === 'ok' ? 'good' : 'warn'}`}
      title={`${status.problems === '' ? 'every node answered' : status.problems}\nat ${formatIso(status.timestamp)}`}
    >
      {label} · {formatClock(status.timestamp)}
    </span>
  )
}

function RemoveDialog(props: { instance: Instance; onDone: (removed: boolean) => void }) {
  const { call } = useConsole()
  const [error, setError] = useState<string>()
  const id = props.instance.InstanceId
  const remove = async () => {
    try {
      await call('DeleteRedisInstance', { InstanceId: id })
      props.onDone(true)
    } catch (caught) {
      setError(caught instanceof RpcError ? caught.describe() : String(caught))
    }
  }
  return (
    <Dialog title={`Remove ${id}?`} onClose={() => props.onDone(false)}>
      <p>
        The instance leaves the registry, with its stored password. Its Redis servers and their
        clients are not touched.
      </p>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={() => props.onDone(false)}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={() => void remove()}>
          Remove {id}
        </button>
      </div>
    </Dialog>
  )
}
