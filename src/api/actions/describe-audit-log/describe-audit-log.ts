import type { AuditEvent, JsonValue, Store } from '../../../store/store.ts'
import { instanceIdParam, integerParam, invalid, optionalString, timeParam } from '../params.ts'

/** Default and largest `PageSize` (contract §5, as DescribeRedisInstances). */
export const DEFAULT_AUDIT_PAGE_SIZE = 30
export const MAX_AUDIT_PAGE_SIZE = 100

/**
 * Business parameters of DescribeAuditLog. The contract names the action filter `Action`, but
 * `Action` is the RPC protocol's own parameter (the API called: in V1 it cannot appear twice,
 * and a V3 query `Action` would be taken as the API name), so the filter is `ActionName`.
 */
export const AUDIT_PARAMS: readonly string[] = [
  'StartTime',
  'EndTime',
  'User',
  'ActionName',
  'InstanceId',
  'PageNumber',
  'PageSize',
]

/** A validated DescribeAuditLog request; times are ms since the epoch, inclusive. */
export interface AuditLogRequest {
  startTime: number | undefined
  endTime: number | undefined
  user: string | undefined
  actionName: string | undefined
  instanceId: string | undefined
  pageNumber: number
  pageSize: number
}

/** One event of `Data.Events` (contract §5). `InstanceId` is `""` when none was concerned. */
export interface PresentedAuditEvent {
  Time: number
  RequestId: string
  User: string
  AccessKeyId: string
  SourceIp: string
  Action: string
  InstanceId: string
  Result: string
  Detail: { [key: string]: JsonValue }
}

/** DescribeAuditLog's `Data`: one page, newest first. */
export interface PresentedAuditLog {
  Total: number
  PageNumber: number
  PageSize: number
  Events: PresentedAuditEvent[]
}

/** Reads DescribeAuditLog's parameters; a reversed time range is `InvalidParams`. */
export function parseAuditLogParams(params: ReadonlyMap<string, string>): AuditLogRequest {
  const startTime = timeParam(params, 'StartTime')
  const endTime = timeParam(params, 'EndTime')
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
    invalid('EndTime is before StartTime')
  }
  const text = (name: string, maxLength: number) => {
    const value = optionalString(params, name, maxLength)
    return value === '' ? undefined : value
  }
  const instanceGiven = text('InstanceId', 64) !== undefined
  return {
    startTime,
    endTime,
    user: text('User', 64),
    actionName: text('ActionName', 128),
    instanceId: instanceGiven ? instanceIdParam(params) : undefined,
    pageNumber: integerParam(params, 'PageNumber', { min: 1, max: 1_000_000 }) ?? 1,
    pageSize:
      integerParam(params, 'PageSize', { min: 1, max: MAX_AUDIT_PAGE_SIZE }) ??
      DEFAULT_AUDIT_PAGE_SIZE,
  }
}

/** One page of the audit log, newest first. Shared by the action and the CLI's local mode. */
export async function queryAuditLog(
  store: Pick<Store, 'audit'>,
  request: AuditLogRequest
): Promise<PresentedAuditLog> {
  const { total, events } = await store.audit.query({
    ...(request.startTime === undefined ? {} : { from: request.startTime }),
    ...(request.endTime === undefined ? {} : { to: request.endTime }),
    ...(request.user === undefined ? {} : { userName: request.user }),
    ...(request.actionName === undefined ? {} : { action: request.actionName }),
    ...(request.instanceId === undefined ? {} : { instanceId: request.instanceId }),
    pageNumber: request.pageNumber,
    pageSize: request.pageSize,
  })
  return {
    Total: total,
    PageNumber: request.pageNumber,
    PageSize: request.pageSize,
    Events: events.map(presentAuditEvent),
  }
}

function presentAuditEvent(event: AuditEvent): PresentedAuditEvent {
  return {
    Time: event.time,
    RequestId: event.requestId,
    User: event.userName,
    AccessKeyId: event.accessKeyId,
    SourceIp: event.sourceIp,
    Action: event.action,
    InstanceId: event.instanceId ?? '',
    Result: event.result,
    Detail: event.detail,
  }
}
