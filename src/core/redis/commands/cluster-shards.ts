import type { RedisCommand } from '../redis-command.ts'
import {
  optionalText,
  replyArray,
  replyFieldMap,
  replyInteger,
  requiredText,
  wrongShape,
} from '../reply.ts'

/** A slot range, both ends included (0–16383). */
export type SlotRange = readonly [start: number, end: number]

/** One node as `CLUSTER SHARDS` reports it. */
export interface ClusterShardNode {
  id: string
  /** The node's ip as the cluster knows it (`cluster-announce-ip`). */
  ip: string
  /** The preferred endpoint (ip, hostname or `?`; `cluster-preferred-endpoint-type`). */
  endpoint: string
  /** `cluster-announce-hostname`, only when set (7.0+). */
  hostname: string | undefined
  /** Plaintext port; absent on a TLS-only cluster node. */
  port: number | undefined
  /** TLS port, present when the node listens with TLS (`tls-cluster yes`). */
  tlsPort: number | undefined
  role: 'master' | 'replica'
  /** `online`, `fail` or `loading`. */
  health: string
}

/** One shard: its slot ranges (empty for a slot-less master) and its master and replicas. */
export interface ClusterShard {
  slots: SlotRange[]
  nodes: ClusterShardNode[]
}

const COMMAND = 'CLUSTER SHARDS'

/**
 * `CLUSTER SHARDS` (7.0+; older servers answer "unknown subcommand"). RESP2 flat arrays
 * (captured from 7.0.15): `[["slots", [0, 5460], "nodes", [["id", "…", "port", 27100,
 * "ip", "127.0.0.1", "endpoint", "127.0.0.1", "role", "master", "replication-offset", 14,
 * "health", "online"], …]], …]`. Includes slot-less masters, excludes handshake nodes;
 * shards come in no particular order.
 */
export const CLUSTER_SHARDS = {
  args: () => ['CLUSTER', 'SHARDS'],
  parse: (reply: unknown, node: string): ClusterShard[] =>
    replyArray(reply, node, COMMAND).map((shard) => {
      const fields = replyFieldMap(shard, node, COMMAND)
      return {
        slots: parseSlots(fields.get('slots'), node),
        nodes: replyArray(fields.get('nodes'), node, COMMAND).map((n) => parseNode(n, node)),
      }
    }),
} satisfies RedisCommand<[], ClusterShard[]>

function parseSlots(reply: unknown, node: string): SlotRange[] {
  const bounds = replyArray(reply, node, COMMAND).map((b) => replyInteger(b, node, COMMAND))
  if (bounds.length % 2 !== 0) throw wrongShape(reply, 'start/end slot pairs', node, COMMAND)
  const ranges: SlotRange[] = []
  for (let i = 0; i < bounds.length; i += 2) {
    const start = bounds[i] ?? 0
    const end = bounds[i + 1] ?? 0
    if (start < 0 || end > 16383 || start > end) {
      throw wrongShape(`${start}-${end}`, 'a slot range in 0-16383', node, COMMAND)
    }
    ranges.push([start, end])
  }
  return ranges
}

function parseNode(reply: unknown, node: string): ClusterShardNode {
  const fields = replyFieldMap(reply, node, COMMAND)
  const role = requiredText(fields, 'role', node, COMMAND)
  if (role !== 'master' && role !== 'replica') {
    throw wrongShape(role, 'role master or replica', node, COMMAND)
  }
  const port = fields.get('port')
  const tlsPort = fields.get('tls-port')
  if (port === undefined && tlsPort === undefined) {
    throw wrongShape(reply, 'a node with port or tls-port', node, COMMAND)
  }
  return {
    id: requiredText(fields, 'id', node, COMMAND),
    ip: requiredText(fields, 'ip', node, COMMAND),
    endpoint: optionalText(fields, 'endpoint', node, COMMAND) ?? '',
    hostname: optionalText(fields, 'hostname', node, COMMAND),
    port: port === undefined ? undefined : replyInteger(port, node, COMMAND),
    tlsPort: tlsPort === undefined ? undefined : replyInteger(tlsPort, node, COMMAND),
    role,
    health: optionalText(fields, 'health', node, COMMAND) ?? 'online',
  }
}
