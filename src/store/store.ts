import type { TopologyKind } from '../core/topology/topology.ts'

/**
 * The persistence interface used by the API server, the CLI, the audit log, aliases and the
 * history sampler. One implementation on kysely serves SQLite and PostgreSQL; callers see only
 * this. Times are ms since the epoch. Missing things → `StoreNotFoundError`, duplicates →
 * `StoreConflictError`, bad arguments → `StoreInvalidInputError` (see `errors.ts`).
 */
export interface Store {
  users: UserRepository
  accessKeys: AccessKeyRepository
  policies: PolicyRepository
  instances: InstanceRepository
  sampledCollections: SampledCollectionRepository
  tempCredentials: TempCredentialRepository
  audit: AuditRepository
  /** The first administrator, all at once (server bootstrap). */
  bootstrap: BootstrapRepository
  aliases: AliasRepository
  history: HistoryRepository
  /** Resolves when the database answers a trivial query (for /healthz); rejects otherwise. */
  ping(): Promise<void>
  /** Releases the database (file handle or pool). The store is unusable afterwards. */
  close(): Promise<void>
}

/** A user without its password hash. */
export interface UserSummary {
  name: string
  hasPassword: boolean
  createdAt: number
}

/** A user with its password hash (scrypt, `password-hash.ts`) for console sign-in. */
export interface User extends UserSummary {
  passwordHash?: string
}

/** Users: names match `^[a-zA-Z0-9._@-]{1,64}$`. */
export interface UserRepository {
  create(name: string, passwordHash?: string): Promise<UserSummary>
  get(name: string): Promise<User | undefined>
  /** Sorted by name. */
  list(): Promise<UserSummary[]>
  /** `null` removes the password (no console sign-in). */
  setPassword(name: string, passwordHash: string | null): Promise<void>
  /** Also deletes the user's AccessKeys, temporary credentials and policy attachments. */
  delete(name: string): Promise<void>
}

export type AccessKeyStatus = 'Active' | 'Inactive'

/** A newly created AccessKey: the only time its secret is handed out. */
export interface NewAccessKey {
  accessKeyId: string
  accessKeySecret: string
}

/** An AccessKey as listed: never with its secret. */
export interface AccessKeySummary {
  accessKeyId: string
  userName: string
  status: AccessKeyStatus
  createdAt: number
}

/** What signature verification needs about one AccessKey. */
export interface AccessKeyForVerification {
  accessKeyId: string
  secret: string
  status: AccessKeyStatus
  userName: string
}

export interface AccessKeyRepository {
  /**
   * Creates an Active key for an existing user: random (`LTAI` + 20 base62, secret 30 base62),
   * or `given` (bootstrap from the environment; id `^[A-Za-z0-9_-]{1,128}$`).
   */
  create(userName: string, given?: NewAccessKey): Promise<NewAccessKey>
  /** The decrypted secret; throws `SecretDecryptError` under a different master key. */
  getForVerification(accessKeyId: string): Promise<AccessKeyForVerification | undefined>
  setStatus(accessKeyId: string, status: AccessKeyStatus): Promise<void>
  /** All keys or one user's, sorted by user then creation. */
  list(userName?: string): Promise<AccessKeySummary[]>
  delete(accessKeyId: string): Promise<void>
}

/** A RAM-style policy; `document` is the JSON text as given (validated by the caller). */
export interface Policy {
  name: string
  document: string
  description: string
  createdAt: number
}

/** Policies: names match `^[a-zA-Z0-9._-]{1,128}$`. */
export interface PolicyRepository {
  create(name: string, documentJson: string, description: string): Promise<Policy>
  get(name: string): Promise<Policy | undefined>
  /** Sorted by name. */
  list(): Promise<Policy[]>
  /** Also detaches it from every user. */
  delete(name: string): Promise<void>
  /** Conflict when already attached; not-found when either side is missing. */
  attach(policyName: string, userName: string): Promise<void>
  /** Not-found when not attached. */
  detach(policyName: string, userName: string): Promise<void>
  /** The policies attached to a user, sorted by name (empty for an unknown user). */
  listForUser(userName: string): Promise<{ name: string; document: string }[]>
}

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

/** Temporary credentials as issued to the console; the only time secret and token are handed out. */
export interface NewTempCredentials {
  accessKeyId: string
  accessKeySecret: string
  securityToken: string
  expiresAt: number
}

/** What signature verification needs about temporary credentials. */
export interface TempCredentialsForVerification {
  accessKeyId: string
  secret: string
  userName: string
  /** Lower-case hex SHA-256 of the SecurityToken: compare digests in constant time. */
  securityTokenSha256: string
  expiresAt: number
  revoked: boolean
}

export interface TempCredentialRepository {
  create(userName: string, ttlMs: number, now: number): Promise<NewTempCredentials>
  getForVerification(accessKeyId: string): Promise<TempCredentialsForVerification | undefined>
  revoke(accessKeyId: string): Promise<void>
  /**
   * Revokes every not yet revoked set of credentials of `userName` (a password change ends the
   * user's console sessions); returns how many. 0 for an unknown user or one without any.
   */
  revokeForUser(userName: string): Promise<number>
  /** Removes credentials with `expiresAt <= now`; returns how many. */
  deleteExpired(now: number): Promise<number>
}

/** A JSON value, as stored in audit details. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** One audited operation (contract §5 `DescribeAuditLog`). */
export interface AuditEvent {
  time: number
  requestId: string
  userName: string
  accessKeyId: string
  sourceIp: string
  action: string
  instanceId?: string
  /** `Success` or the error code. */
  result: string
  detail: { [key: string]: JsonValue }
}

/** Filters of an audit query; times inclusive; `pageNumber` 1-based, `pageSize` 1–1000. */
export interface AuditQuery {
  from?: number
  to?: number
  userName?: string
  action?: string
  instanceId?: string
  pageNumber: number
  pageSize: number
}

/** The first administrator as the server's first start creates it (contract §7). */
export interface FirstAdministrator {
  userName: string
  passwordHash: string
  /** Created unless a policy of this name exists; attached to the user either way. */
  policy: { name: string; document: string; description: string }
  /** Given from the environment or generated by the caller. */
  accessKey: NewAccessKey
  /** The audit event of the creation, written with it. */
  audit: AuditEvent
}

export interface BootstrapRepository {
  /**
   * Creates user, policy, attachment, AccessKey and audit event in ONE transaction: all or
   * nothing. `StoreConflictError` when the user (or the AccessKeyId) exists already — e.g.
   * another replica won the race — and then nothing was written.
   */
  createAdministrator(admin: FirstAdministrator): Promise<void>
}

export interface AuditRepository {
  append(event: AuditEvent): Promise<void>
  /** Newest first (ties: last appended first). */
  query(query: AuditQuery): Promise<{ total: number; events: AuditEvent[] }>
}

/** A client alias: an IP or CIDR → description, for one instance or global (`instanceId: null`). */
export interface ClientAlias {
  cidr: string
  description: string
  instanceId: string | null
}

export interface AliasRepository {
  /** Insert or replace; an instance scope must name a registered instance. */
  set(cidr: string, description: string, instanceId: string | null): Promise<ClientAlias>
  /**
   * No argument: every alias. `null`: global ones only. An id: those that apply to that
   * instance — its own and the global ones. Sorted global first, then by instance and CIDR.
   */
  list(instanceId?: string | null): Promise<ClientAlias[]>
  delete(cidr: string, instanceId: string | null): Promise<boolean>
}

/** History grouping (contract §5 `DescribeRedisSessionHistory`). */
export type HistoryGroupBy = 'total' | 'source' | 'node' | 'name' | 'user'

/** One sampled count; `key` is `''` for `total`. Same (instance, time, groupBy, key) replaces. */
export interface HistoryPoint {
  instanceId: string
  time: number
  groupBy: HistoryGroupBy
  key: string
  count: number
  active: number
}

export interface HistoryRepository {
  /** All points in one transaction: all stored or none. */
  insertPoints(points: HistoryPoint[]): Promise<void>
  /** Points with `from <= time <= to`, sorted by time then key. */
  query(query: {
    instanceId: string
    from: number
    to: number
    groupBy: HistoryGroupBy
    key?: string
  }): Promise<HistoryPoint[]>
  /** Removes points with `time < time`; returns how many. */
  deleteOlderThan(time: number): Promise<number>
  /**
   * Downsamples in place: among the points of an instance with `time < before`, keeps only
   * those of the latest sample time of each `bucketMs` bucket (`bucket = time / bucketMs`,
   * integer division, epoch-aligned for the non-negative times the sampler writes) and deletes
   * the rest, every grouping of a sample alike. Points at or after `before` are neither
   * deleted nor counted as a bucket's latest. `bucketMs` is a positive integer. Returns how
   * many rows were deleted.
   */
  thin(options: { before: number; bucketMs: number }): Promise<number>
}
