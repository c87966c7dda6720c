import type { AnyAction } from './action.ts'
import { addRedisInstance } from './add-redis-instance/handler.ts'
import { describeCallerPermissions } from './describe-caller-permissions/handler.ts'
import { deleteRedisInstance } from './delete-redis-instance/handler.ts'
import { describeRedisInstances } from './describe-redis-instances/handler.ts'
import { IDENTITY_ACTIONS } from './identity/actions.ts'
import { getRedisAllSession } from './get-redis-all-session/handler.ts'
import { killInstanceAllSession } from './kill-instance-all-session/handler.ts'
import { killRedisSessions } from './kill-redis-sessions/handler.ts'
import { describeAuditLog } from './describe-audit-log/handler.ts'
import { modifyRedisInstance } from './modify-redis-instance/handler.ts'
import { setRedisClientAlias } from './set-redis-client-alias/handler.ts'
import { describeRedisClientAliases } from './describe-redis-client-aliases/handler.ts'
import { deleteRedisClientAlias } from './delete-redis-client-alias/handler.ts'
import { describeRedisSessionHistory } from './describe-redis-session-history/handler.ts'
import { describeRedisSessionInsights } from './describe-redis-session-insights/handler.ts'

/** Every RPC action served, by `Action` name (one folder each under `actions/`). */
export function createActionRegistry(): ReadonlyMap<string, AnyAction> {
  const actions: AnyAction[] = [getRedisAllSession, killInstanceAllSession, ...IDENTITY_ACTIONS]
  actions.push(killRedisSessions, describeAuditLog)
  actions.push(addRedisInstance, describeRedisInstances, modifyRedisInstance, deleteRedisInstance)
  actions.push(setRedisClientAlias, describeRedisClientAliases, deleteRedisClientAlias)
  actions.push(describeRedisSessionHistory, describeRedisSessionInsights)
  actions.push(describeCallerPermissions)
  return new Map(actions.map((action) => [action.name, action]))
}
