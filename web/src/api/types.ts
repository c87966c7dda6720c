/** Wire shapes of the RPC actions the console calls (contract §3, §5); PascalCase as sent. */

/** One session of GetRedisAllSession: DAS's 21 fields, then the extensions when reported. */
export interface Session {
  Sub: number
  Psub: number
  Idle: number
  Flags: string
  Oll: number
  QbufFree: number
  Multi: number
  Omem: number
  Qbuf: number
  Name: string
  Obl: number
  Client: string
  Cmd: string
  Id: number
  Addr: string
  NodeId: string
  /** Seconds, as a string (DAS type). */
  Age: string
  Db: number
  Events: string
  Fd: number
  ClientDesc: string
  User?: string
  Laddr?: string
  Resp?: number
  LibName?: string
  LibVer?: string
  TotMem?: number
  ArgvMem?: number
  MultiMem?: number
  Rbs?: number
  Rbp?: number
  Ssub?: number
  Watch?: number
  Redir?: number
  IoThread?: number
  TotNetIn?: number
  TotNetOut?: number
  TotCmds?: number
  Capa?: string
  Extra?: Record<string, string>
}

/** `Data.Nodes[]`: how each node answered. */
export interface NodeStatus {
  NodeId: string
  Address: string
  Role: string
  Shard: number
  Status: 'ok' | 'error'
  Error?: { Code: string; Message: string }
  Total: number
  LatencyMs: number
}

/** `Data.SourceStats[]`. */
export interface SourceStat {
  Key: string
  Count: string
  ActiveCount?: string
  Ids: number[]
  ClientDesc?: string
}

/** `Data` of GetRedisAllSession. */
export interface SessionsData {
  Timestamp: number
  Total: number
  Sessions: Session[]
  SourceStats: SourceStat[]
  Nodes?: NodeStatus[]
  Complete?: boolean
}

/** One registered instance (DescribeRedisInstances), never with its password. */
export interface Instance {
  InstanceId: string
  Topology: string
  Endpoints: string[]
  Username: string
  HasPassword: boolean
  Tls: { Enabled: boolean; ServerName: string; SkipVerify: boolean; HasCa: boolean }
  SentinelMasterName: string
  Description: string
  CreatedAt: number
  UpdatedAt: number
  /** The latest collection the server knows (its sampler or a listing); absent: none yet. */
  LastCollection?: LastCollection
}

/** `LastCollection` of DescribeRedisInstances: what the latest collection found. */
export interface LastCollection {
  /** ms since the epoch. */
  Time: number
  /** Sessions on the nodes that answered. */
  Total: number
  /** Of those, sessions with `Idle` 0. */
  Active: number
  /** Nodes asked. */
  Nodes: number
  /** Nodes that did not answer. */
  FailedNodes: number
  /** Every node answered. */
  Complete: boolean
  /** Why the collection failed as a whole (discovery failed, no node answered). */
  Error?: { Code: string; Message: string }
}

/** `Data` of DescribeRedisInstances. */
export interface InstancesPage {
  Total: number
  PageNumber: number
  PageSize: number
  Instances: Instance[]
}

/** What happened to one session of a KillRedisSessions call. */
export type KillResultKind = 'killed' | 'gone' | 'protected' | 'failed' | 'would-kill'

/** One entry of KillRedisSessions' `Data.Sessions`. */
export interface KillResult {
  NodeId: string
  Id: number
  Addr: string
  Name: string
  Result: KillResultKind
  Reason?: string
}

/** `Data` of KillRedisSessions. */
export interface KillData {
  Killed: number
  Sessions: KillResult[]
}

/** One alias (DescribeRedisClientAliases); `InstanceId` `""` = global. */
export interface ClientAlias {
  Cidr: string
  Description: string
  InstanceId: string
}

/** One sample of DescribeRedisSessionHistory. */
export interface HistoryPoint {
  Timestamp: number
  Total: number
  Active: number
  Groups: { Key: string; Count: number; Active?: number }[]
}

/** `Data` of DescribeRedisSessionHistory. */
export interface HistoryData {
  Points: HistoryPoint[]
}
