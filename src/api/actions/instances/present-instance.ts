import { formatAddress } from '../../../core/redis/node-address.ts'
import type { RedisNode } from '../../../core/topology/topology.ts'
import { isCompleteStatus } from '../../../service/collection-status.ts'
import type { CollectionStatus, Instance } from '../../../store/store.ts'

/** Wire shape of one registered instance (contract §2, §5): never the password nor the CA text. */
export interface PresentedInstance {
  InstanceId: string
  Topology: string
  Endpoints: string[]
  /** `""` when the instance authenticates as `default` (or not at all). */
  Username: string
  HasPassword: boolean
  Tls: { Enabled: boolean; ServerName: string; SkipVerify: boolean; HasCa: boolean }
  /** `""` unless the topology is `sentinel`. */
  SentinelMasterName: string
  /** Announced → reachable addresses, in the order given; absent when the instance has none. */
  AddressMap?: { From: string; To: string }[] | undefined
  Description: string
  /** ms since the epoch. */
  CreatedAt: number
  UpdatedAt: number
  /** DescribeRedisInstances only: the latest collection known (docs/api.md); absent when none. */
  LastCollection?: PresentedCollection | undefined
}

/** `LastCollection` of an instance: what its latest known collection found. */
export interface PresentedCollection {
  /** When it was collected, ms since the epoch (`Data.Timestamp` of that listing). */
  Time: number
  /** Sessions on the nodes that answered (`Data.Total`). */
  Total: number
  /** Of those, sessions with `Idle` 0. */
  Active: number
  /** Nodes asked. */
  Nodes: number
  /** Nodes that did not answer. */
  FailedNodes: number
  /** Every node answered (`Data.Complete`). */
  Complete: boolean
  /** Why the collection failed as a whole: discovery failed or no node answered. */
  Error?: { Code: string; Message: string } | undefined
}

/** One node found by the registration probe (`Data.Nodes` of Add/ModifyRedisInstance). */
export interface PresentedProbeNode {
  NodeId: string
  Address: string
  Role: string
  Shard: number
  /** Why discovery reported the node unusable (cluster `fail`, …); absent when usable. */
  SkipReason?: string
}

/**
 * The only place a stored instance becomes wire JSON. Fields are listed one by one, never
 * spread, so a secret added to `Instance` later cannot leak through here.
 */
export function presentInstance(instance: Instance): PresentedInstance {
  return {
    InstanceId: instance.instanceId,
    Topology: instance.topology,
    Endpoints: [...instance.endpoints],
    Username: instance.username ?? '',
    HasPassword: instance.hasPassword,
    Tls: {
      Enabled: instance.tls.enabled,
      ServerName: instance.tls.servername ?? '',
      SkipVerify: instance.tls.skipVerify,
      HasCa: instance.tls.ca !== undefined,
    },
    SentinelMasterName: instance.sentinelMasterName ?? '',
    ...(instance.addressMap === undefined
      ? {}
      : { AddressMap: instance.addressMap.map(({ from, to }) => ({ From: from, To: to })) }),
    Description: instance.description,
    CreatedAt: instance.createdAt,
    UpdatedAt: instance.updatedAt,
  }
}

/** The wire form of a collection status. */
export function presentCollection(status: CollectionStatus): PresentedCollection {
  return {
    Time: status.time,
    Total: status.total,
    Active: status.active,
    Nodes: status.nodes,
    FailedNodes: status.failedNodes,
    Complete: isCompleteStatus(status),
    ...(status.error === undefined
      ? {}
      : { Error: { Code: status.error.code, Message: status.error.message } }),
  }
}

/** The nodes a probe discovered, in NodeId order. */
export function presentProbeNodes(nodes: readonly RedisNode[]): PresentedProbeNode[] {
  return nodes.map((node) => ({
    NodeId: node.nodeId,
    Address: formatAddress(node.address),
    Role: node.role,
    Shard: node.shard,
    ...(node.skipReason === undefined ? {} : { SkipReason: node.skipReason }),
  }))
}

/** `Data` of Add/ModifyRedisInstance: the instance, plus `Nodes` when the deployment was probed. */
export function presentRegistration(
  instance: Instance,
  probed: readonly RedisNode[] | undefined
): PresentedInstance & { Nodes?: PresentedProbeNode[] } {
  return {
    ...presentInstance(instance),
    ...(probed === undefined ? {} : { Nodes: presentProbeNodes(probed) }),
  }
}
