import type { RedisServerHandle } from './redis-launch.ts'

/** One node as `CLUSTER SHARDS` (7.0+) reports it. */
export interface ShardNode {
  id: string
  port: number
  ip: string
  role: string
  health: string
}

/** One shard: slot ranges as flat `[start, end, …]` pairs, and its nodes. */
export interface Shard {
  slots: number[]
  nodes: ShardNode[]
}

/** Runs `CLUSTER SHARDS` on `node` (via `redis-cli --json`, RESP3 maps) and parses it. */
export async function clusterShards(node: RedisServerHandle): Promise<Shard[]> {
  return parseShards(JSON.parse(await node.cliWith({ json: true }, 'CLUSTER', 'SHARDS')))
}

/** Validates the decoded JSON of `CLUSTER SHARDS`; throws on anything unexpected. */
export function parseShards(json: unknown): Shard[] {
  if (!Array.isArray(json)) throw new Error('CLUSTER SHARDS: expected an array')
  return json.map((shard: unknown) => {
    if (!isRecord(shard) || !Array.isArray(shard['slots']) || !Array.isArray(shard['nodes'])) {
      throw new Error('CLUSTER SHARDS: shard without slots/nodes')
    }
    return {
      slots: shard['slots'].map((s: unknown) => expectNumber(s, 'slot')),
      nodes: shard['nodes'].map(parseShardNode),
    }
  })
}

function parseShardNode(node: unknown): ShardNode {
  if (!isRecord(node)) throw new Error('CLUSTER SHARDS: node is not a map')
  return {
    id: expectString(node['id'], 'id'),
    port: expectNumber(node['port'], 'port'),
    ip: expectString(node['ip'], 'ip'),
    role: expectString(node['role'], 'role'),
    health: expectString(node['health'], 'health'),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`CLUSTER SHARDS: ${what} is not a string`)
  return value
}

function expectNumber(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new Error(`CLUSTER SHARDS: ${what} is not a number`)
  return value
}
