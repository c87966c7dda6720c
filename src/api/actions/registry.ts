import type { AnyAction } from './action.ts'
import { getRedisAllSession } from './get-redis-all-session/handler.ts'
import { killInstanceAllSession } from './kill-instance-all-session/handler.ts'

/** Every RPC action served, by `Action` name (one folder each under `actions/`). */
export function createActionRegistry(): ReadonlyMap<string, AnyAction> {
  const actions: AnyAction[] = [getRedisAllSession, killInstanceAllSession]
  return new Map(actions.map((action) => [action.name, action]))
}
