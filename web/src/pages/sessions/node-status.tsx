import type { NodeStatus, SessionsData } from '../../api/types.ts'
import { formatCount } from '../../lib/format.ts'

/**
 * One chip per node (role, sessions, latency; the error on hover) and, when `Complete` is
 * false, a banner saying which nodes are missing from the list — a partial list must never
 * pass for the whole one.
 */
export function NodeStatusBar({ data }: { data: SessionsData }) {
  const nodes = data.Nodes ?? []
  const failed = nodes.filter((node) => node.Status !== 'ok')
  return (
    <>
      {data.Complete === false && (
        <div class="banner warn" role="alert" data-testid="incomplete-banner">
          <strong>Incomplete list:</strong> {failed.length} of {nodes.length} nodes did not answer,
          so their sessions are missing below.{' '}
          {failed.map((node) => (
            <span key={node.NodeId} class="failed-node">
              {node.NodeId} ({node.Address}): {node.Error?.Code ?? 'error'} —{' '}
              {node.Error?.Message ?? ''}
            </span>
          ))}
        </div>
      )}
      {nodes.length > 0 && (
        <ul class="nodes" aria-label="Nodes">
          {nodes.map((node) => (
            <NodeChip node={node} key={node.NodeId} />
          ))}
        </ul>
      )}
    </>
  )
}

function NodeChip({ node }: { node: NodeStatus }) {
  const ok = node.Status === 'ok'
  const detail = ok
    ? `${node.Address} · ${node.Role} · shard ${node.Shard} · answered in ${node.LatencyMs} ms`
    : `${node.Address}: ${node.Error?.Code ?? 'error'} ${node.Error?.Message ?? ''}`
  return (
    <li class={ok ? 'node ok' : 'node bad'} title={detail} data-node={node.NodeId}>
      <span class="dot" aria-hidden="true" />
      <span class="node-id">{node.NodeId}</span>
      <span class="muted">{node.Role}</span>
      <span>{ok ? formatCount(node.Total) : (node.Error?.Code ?? 'error')}</span>
      <span class="sr-only">{ok ? 'answered' : 'failed'}</span>
    </li>
  )
}
