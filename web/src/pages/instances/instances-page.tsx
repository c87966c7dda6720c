import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import { usePermissionChecks } from '../../api/ask-permissions.ts'
import { useConsole } from '../../api/console-context.ts'
import type { PermissionQuestion } from '../../api/permissions.ts'
import { RpcError } from '../../api/rpc.ts'
import type { Instance, InstancesPage as InstancesData } from '../../api/types.ts'
import { Dialog } from '../../components/dialog.tsx'
import { GuardedButton } from '../../components/guarded-button.tsx'
import { formatClock, formatCount, formatIso } from '../../lib/format.ts'
import { hrefOf } from '../../lib/router.ts'
import { InstanceForm } from './instance-form.tsx'
import { statusOf, type InstanceStatus } from './instance-status.ts'

const PAGE_SIZE = 100

/**
 * What the list asks before showing its buttons: adding (checked on "any instance id", so a
 * policy naming only some ids does not count), collecting, editing and removing each instance.
 */
function questionsOf(instances: readonly Instance[]): PermissionQuestion[] {
  return [
    { action: 'AddRedisInstance', resource: 'acs:hdm:*:*:instance/*' },
    ...instances.flatMap(({ InstanceId: instanceId }) => [
      { action: 'GetRedisAllSession', instanceId },
      { action: 'ModifyRedisInstance', instanceId },
      { action: 'DeleteRedisInstance', instanceId },
    ]),
  ]
}

/** An instance collected again on demand: running, or why it could not be. */
type Collecting = ReadonlyMap<string, { running: boolean; error?: string }>

/** Every registered instance with its last collection; collect one now; add, edit, remove. */
export function InstancesPage() {
  const { call } = useConsole()
  const [instances, setInstances] = useState<Instance[]>()
  const [error, setError] = useState<string>()
  const [round, setRound] = useState(0)
  const [editing, setEditing] = useState<Instance | 'new'>()
  const [removing, setRemoving] = useState<Instance>()
  const [collecting, setCollecting] = useState<Collecting>(new Map())

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
  const reload = () => setRound((value) => value + 1)
  /**
   * Lists the instance's sessions now (which records its LastCollection on the server), then
   * reads the instance again for the status the server recorded.
   */
  const collect = async (instanceId: string) => {
    const mark = (state: { running: boolean; error?: string }) =>
      setCollecting((old) => new Map(old).set(instanceId, state))
    mark({ running: true })
    let error: string | undefined
    try {
      await call('GetRedisAllSession', { InstanceId: instanceId })
    } catch (caught) {
      error = caught instanceof RpcError ? caught.describe() : String(caught)
    }
    try {
      const data = await call<InstancesData>('DescribeRedisInstances', { InstanceId: instanceId })
      const fresh = data.Instances[0]
      if (fresh !== undefined) {
        setInstances((old) => old?.map((item) => (item.InstanceId === instanceId ? fresh : item)))
        // A failed collection the server recorded shows as the status itself.
        if (fresh.LastCollection?.Error !== undefined) error = undefined
      }
    } catch (caught) {
      error ??= caught instanceof RpcError ? caught.describe() : String(caught)
    }
    mark(error === undefined ? { running: false } : { running: false, error })
  }

  // Once the list is known (or failed), in one round for the whole page.
  const settled = instances !== undefined || error !== undefined
  usePermissionChecks(
    useMemo(() => (settled ? questionsOf(instances ?? []) : []), [settled, instances])
  )

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
                <th scope="col">Last collection</th>
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
                  collecting={collecting.get(instance.InstanceId)}
                  onCollect={() => void collect(instance.InstanceId)}
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
  collecting: { running: boolean; error?: string } | undefined
  onCollect: () => void
  onEdit: () => void
  onRemove: () => void
}) {
  const { instance, collecting } = props
  const status = statusOf(instance.LastCollection)
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
      <td class="num" title="Nodes that answered / nodes asked">
        {status.state === 'ok' || status.state === 'partial'
          ? `${status.nodesOk}/${status.nodes}`
          : ''}
      </td>
      <td
        class="num"
        title={
          status.state === 'never' || status.state === 'error'
            ? undefined
            : `${formatCount(status.active)} active`
        }
      >
        {status.state === 'ok' || status.state === 'partial' ? formatCount(status.sessions) : ''}
      </td>
      <td class="status">
        <StatusBadge status={status} />
        <GuardedButton
          action="GetRedisAllSession"
          instanceId={id}
          title="List its sessions now and update this status"
          testId={`collect-${id}`}
          blockedBecause={collecting?.running === true ? 'Collecting…' : undefined}
          onClick={props.onCollect}
        >
          <span aria-hidden="true">↻</span>
          <span class="sr-only">Collect {id} now</span>
        </GuardedButton>
        {collecting?.error !== undefined && (
          <span class="error" role="alert">
            {collecting.error}
          </span>
        )}
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

function StatusBadge({ status }: { status: InstanceStatus }) {
  if (status.state === 'never') {
    return (
      <span class="badge" title="Neither the history sampler nor a listing has collected it yet">
        not collected yet
      </span>
    )
  }
  if (status.state === 'error') {
    return (
      <span class="badge bad" title={`${status.message}\nat ${formatIso(status.time)}`}>
        {status.code} · {formatClock(status.time)}
      </span>
    )
  }
  const label = status.state === 'ok' ? 'ok' : 'partial'
  const nodes =
    status.state === 'ok'
      ? 'every node answered'
      : `${status.nodes - status.nodesOk} of ${status.nodes} nodes did not answer`
  return (
    <span
      class={`badge ${status.state === 'ok' ? 'good' : 'warn'}`}
      title={`${nodes}\nat ${formatIso(status.time)}`}
    >
      {label} · {formatClock(status.time)}
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
