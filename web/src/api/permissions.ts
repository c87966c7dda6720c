/**
 * What the signed-in user may do, learnt from the server's answers: a `NoPermission` answer
 * marks the action (for that instance) denied, with the reason shown as the tooltip of every
 * button that would call it; a success marks it allowed. Pages probe read-only forms
 * (`KillRedisSessions` with `DryRun=true`) so kill buttons are disabled before anyone clicks.
 */
import { useEffect, useState } from 'preact/hooks'
import { RpcError } from './rpc.ts'

/** What is known about one action. */
export interface Permission {
  denied: boolean
  /** Why it is denied, for people (`title` of the disabled button). */
  reason: string
}

const ALLOWED: Permission = { denied: false, reason: '' }
const known = new Map<string, Permission>()
const listeners = new Set<() => void>()

function keyOf(action: string, instanceId: string | undefined): string {
  return `${action} ${instanceId ?? '*'}`
}

function changed(): void {
  for (const listener of listeners) listener()
}

/** The permission of `action` on `instanceId` as known now (allowed until told otherwise). */
export function permissionOf(action: string, instanceId?: string): Permission {
  return known.get(keyOf(action, instanceId)) ?? known.get(keyOf(action, undefined)) ?? ALLOWED
}

/**
 * Records what a call of `action` answered: `NoPermission` denies, anything else but a network
 * or credential failure proves the policy let it through.
 */
export function notePermission(action: string, instanceId: string | undefined, outcome: unknown) {
  const key = keyOf(action, instanceId)
  if (outcome instanceof RpcError && outcome.code === 'NoPermission') {
    const ramAction = outcome.authAction === '' ? `hdm:${action}` : outcome.authAction
    const where = instanceId === undefined ? '' : ` on ${instanceId}`
    known.set(key, {
      denied: true,
      reason: `Not allowed: your policies do not grant ${ramAction}${where} (NoPermission).`,
    })
  } else if (outcome instanceof RpcError && outcome.status === 0) {
    return
  } else {
    known.delete(key)
  }
  changed()
}

/** Forgets everything (sign-out: the next user has other policies). */
export function resetPermissions(): void {
  known.clear()
  changed()
}

/** {@link permissionOf}, re-rendering the component when it changes. */
export function usePermission(action: string, instanceId?: string): Permission {
  const [, setVersion] = useState(0)
  useEffect(() => {
    const listener = () => setVersion((version) => version + 1)
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }, [])
  return permissionOf(action, instanceId)
}
