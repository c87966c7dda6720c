/** The store's append-mostly records: the audit log, client aliases, session history. */

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
