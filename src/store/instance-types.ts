/** The store's registry shapes: instances and the sampler's latest collection of each. */
import type { TopologyKind } from '../core/topology/topology.ts'

/** TLS settings of an instance (contract §2). */
export interface InstanceTls {
  enabled: boolean
  /** PEM CA bundle; absent = the system trust store. */
  ca?: string
  /** SNI / name to verify; absent = the host. */
  servername?: string
  /** Skip certificate verification (explicit opt-in). */
  skipVerify: boolean
}

/**
 * One entry of an instance's address map: the address the deployment announces (`host:port`,
 * `[v6]:port`, as Redis reports it) → the address to connect to instead.
 */
export interface AddressMapping {
  from: string
  to: string
}

/** A registered deployment as the store returns it: the password is write-only. */
export interface Instance {
  instanceId: string
  topology: TopologyKind
  /** `host:port`, `[v6]:port` or a unix socket path. */
  endpoints: string[]
  username?: string
  hasPassword: boolean
  tls: InstanceTls
  sentinelMasterName?: string
  /** Announced → reachable addresses, in the order given; absent = none. */
  addressMap?: AddressMapping[]
  description: string
  createdAt: number
  updatedAt: number
}

/** Fields to register an instance (`instanceId` matches `^[a-z][a-z0-9-]{1,63}$`). */
export interface NewInstance {
  instanceId: string
  topology: TopologyKind
  endpoints: string[]
  username?: string
  password?: string
  tls?: InstanceTls
  sentinelMasterName?: string
  addressMap?: AddressMapping[]
  description?: string
}

/** Fields to change; absent = keep, `null` = clear. `tls` replaces the whole setting. */
export interface InstancePatch {
  topology?: TopologyKind
  endpoints?: string[]
  username?: string | null
  password?: string | null
  tls?: InstanceTls
  sentinelMasterName?: string | null
  /** Replaces the whole map; `null` or `[]` = no map. */
  addressMap?: AddressMapping[] | null
  description?: string
}

export interface InstanceRepository {
  add(instance: NewInstance): Promise<Instance>
  get(instanceId: string): Promise<Instance | undefined>
  /** Sorted by id; `page` is 1-based; `pageSize` 1–1000. */
  list(options: { page: number; pageSize: number }): Promise<{ total: number; items: Instance[] }>
  update(instanceId: string, patch: InstancePatch): Promise<Instance>
  /** Also deletes the instance's aliases, history and sampled collection. */
  delete(instanceId: string): Promise<void>
  /** The decrypted password (undefined when none); not-found for an unknown instance. */
  getConnectionSecret(instanceId: string): Promise<string | undefined>
}

/**
 * What one collection of an instance found (`LastCollection` of DescribeRedisInstances).
 * `error` is set when the collection failed as a whole: discovery failed or no node answered.
 */
export interface CollectionStatus {
  /** When the collection was made, ms since the epoch. */
  time: number
  /** Sessions on the nodes that answered. */
  total: number
  /** Of those, sessions with idle 0. */
  active: number
  /** Nodes asked (discovery's view; 0 when discovery failed). */
  nodes: number
  /** Nodes that did not answer. */
  failedNodes: number
  error?: { code: string; message: string }
}

/** The history sampler's latest collection of each instance, shared by every replica. */
export interface SampledCollectionRepository {
  /** Insert or replace one row per instance, all in one transaction. */
  record(statuses: { instanceId: string; status: CollectionStatus }[]): Promise<void>
  /** The stored status of each instance in `instanceIds` that has one. */
  latest(instanceIds: readonly string[]): Promise<Map<string, CollectionStatus>>
}
