/**
 * What the signed-in user may do. Pages ask the server once (DescribeCallerPermissions, see
 * ask-permissions.ts) for every button they show, so buttons the user may not use are disabled
 * with the reason before anyone clicks; the answers of real calls keep the map current too
 * (a `NoPermission` answer denies, a success allows), e.g. after a policy changed.
 */
import { useEffect, useState } from 'preact/hooks'
import { RpcError } from './rpc.ts'

/** What is known about one action. */
export interface Permission {
  denied: boolean
  /** Why it is denied, for people (`title` of the disabled button). */
  reason: string
}

/** One thing a page wants to know: may the user call `action` (on `instanceId`)? */
export interface PermissionQuestion {
  /** RPC action, e.g. `KillRedisSessions` (RAM action `hdm:KillRedisSessions`). */
  action: string
  /** The instance concerned; absent: the action as a whole (global aliases, adding instances). */
  instanceId?: string | undefined
  /** Resource to check when not the instance's ARN or `*`, e.g. "any instance id" for adding. */
  resource?: string
}

/** What DescribeCallerPermissions answers for one check. */
export interface PermissionAnswer {
  Action: string
  Resource: string
  Allowed: boolean
  Reason?: string
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

/** The RAM action policies name for an RPC action of the console. */
export function ramActionOf(action: string): string {
  return `hdm:${action}`
}

/** The resource a question checks: the instance's ARN, or `*`. */
export function resourceOf(question: PermissionQuestion): string {
  if (question.resource !== undefined) return question.resource
  return question.instanceId === undefined ? '*' : `acs:hdm:*:*:instance/${question.instanceId}`
}

/** The permission of `action` on `instanceId` as known now (allowed until told otherwise). */
export function permissionOf(action: string, instanceId?: string): Permission {
  return known.get(keyOf(action, instanceId)) ?? known.get(keyOf(action, undefined)) ?? ALLOWED
}

/** Records the server's answers to `questions` (same order). */
export function recordAnswers(
  questions: readonly PermissionQuestion[],
  answers: readonly PermissionAnswer[]
): void {
  questions.forEach((question, index) => {
    const answer = answers[index]
    if (answer === undefined) return
    known.set(
      keyOf(question.action, question.instanceId),
      answer.Allowed
        ? ALLOWED
        : { denied: true, reason: `Not allowed (NoPermission): ${answer.Reason ?? 'denied'}.` }
    )
  })
  changed()
}

/**
 * Records what a call of `action` answered: `NoPermission` denies; a success, or an error the
 * server checks after RAM (not found, connection failed…), proves the policy let it through.
 * Errors found before RAM (`InvalidParams`, signature, throttling…) or a network failure prove
 * nothing.
 */
export function notePermission(action: string, instanceId: string | undefined, outcome: unknown) {
  const key = keyOf(action, instanceId)
  if (outcome instanceof RpcError && outcome.code === 'NoPermission') {
    const ramAction = outcome.authAction === '' ? ramActionOf(action) : outcome.authAction
    const where = instanceId === undefined ? '' : ` on ${instanceId}`
    known.set(key, {
      denied: true,
      reason: `Not allowed (NoPermission): your policies do not grant ${ramAction}${where}.`,
    })
  } else if (outcome instanceof RpcError && !CHECKED_AFTER_RAM.has(outcome.code)) {
    return
  } else if (permissionOf(action, instanceId).denied) {
    known.set(key, ALLOWED)
  } else {
    return
  }
  changed()
}

/** Codes an action answers only once RAM allowed it (docs/errors.md, order of checks). */
const CHECKED_AFTER_RAM: ReadonlySet<string> = new Set([
  'InvalidInstanceId.NotFound',
  'InstanceConnectionFailed',
  'EntityAlreadyExists',
  'EntityNotExist',
  'Throttling.API',
])

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
