/** The signed-in console as a Preact context: who, the signed caller, sign-out. */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { notePermission } from './permissions.ts'
import type { RpcCall } from './rpc.ts'

/** What every page can use once signed in. */
export interface ConsoleApi {
  userName: string
  /** Signed call that also records NoPermission answers (see permissions.ts). */
  call: RpcCall
  signOut: () => Promise<void>
}

export const ConsoleContext = createContext<ConsoleApi | undefined>(undefined)

/** The signed-in console; only rendered inside the signed-in shell. */
export function useConsole(): ConsoleApi {
  const api = useContext(ConsoleContext)
  if (api === undefined) throw new Error('useConsole outside the signed-in shell')
  return api
}

/**
 * Actions that name an instance which does not exist yet: what the answer says about one new id
 * is what the user can expect for the next, so it is kept for the action as a whole.
 */
const CREATING = new Set(['AddRedisInstance'])

/** Wraps `call` so every answer updates the permission map for (action, InstanceId). */
export function withPermissionNotes(call: RpcCall): RpcCall {
  return async <T>(
    action: string,
    params: Readonly<Record<string, string>> = {},
    envelope = false
  ) => {
    const given = params['InstanceId']
    const instanceId = CREATING.has(action) || given === '' ? undefined : given
    try {
      const data = await call<T>(action, params, envelope)
      notePermission(action, instanceId, undefined)
      return data
    } catch (error) {
      notePermission(action, instanceId, error)
      throw error
    }
  }
}
