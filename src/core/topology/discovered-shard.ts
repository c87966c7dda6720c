import type { NodeAddress } from '../redis/node-address.ts'

/** A node as a discovery strategy found it, before it gets its NodeId. */
export interface DiscoveredNode {
  /** The address the deployment reports (before the address map): NodeId port and ordering. */
  announced: NodeAddress
  /** Where to connect (after the address map). */
  address: NodeAddress
  /** The role the deployment reports. */
  role: 'master' | 'replica'
  /** Why the node is not to be asked (cluster `fail`, sentinel `s_down`, …). */
  skipReason?: string | undefined
}

/** One master and its replicas (standalone and sentinel deployments have one). */
export interface DiscoveredShard {
  /** Lowest slot the shard serves; `undefined` for a slot-less master or outside a cluster. */
  lowestSlot: number | undefined
  nodes: DiscoveredNode[]
}
