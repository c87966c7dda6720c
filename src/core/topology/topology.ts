import type { AddressMap, NodeAddress } from '../redis/node-address.ts'
import type { ConnectionOptions } from '../redis/connection-options.ts'

/** How a deployment is laid out (contract §2). `auto` = standalone unless `cluster_enabled:1`. */
export type TopologyKind = 'standalone' | 'sentinel' | 'cluster' | 'nodes'

/** What to discover: an instance's seeds and how to reach them. */
export interface DeploymentSpec {
  /** `^[a-z][a-z0-9-]{1,63}$`; prefixes every NodeId. */
  instanceId: string
  kind: TopologyKind | 'auto'
  /** Seeds: the node(s) for standalone/cluster/nodes, the sentinels for sentinel. */
  endpoints: NodeAddress[]
  /** Required when `kind` is `sentinel`. */
  sentinelMasterName?: string | undefined
  connection: ConnectionOptions
  addressMap?: AddressMap | undefined
}

export type NodeRole = 'master' | 'replica' | 'proxy'

/** One process that answers CLIENT LIST. */
export interface RedisNode {
  /**
   * Contract §2: `<id>-db-<shard>#<port>` for masters, `<id>-db-<shard>-replica-<k>#<port>`
   * for replicas (k by address order within the shard, 0-based), `<id>-proxy-<i>#<port>`.
   */
  nodeId: string
  /** The address we connect to (after the address map). */
  address: NodeAddress
  role: NodeRole
  /** 0 for standalone/sentinel; cluster shards numbered by lowest slot, 0-based; proxies: list index. */
  shard: number
  /**
   * Set when discovery reports the node unusable (cluster `fail`, `handshake`, `noaddr`):
   * it is reported with this reason and not asked.
   */
  skipReason?: string | undefined
}

export interface Topology {
  kind: TopologyKind
  /** Sorted by NodeId. */
  nodes: RedisNode[]
}
