import { userInfo } from 'node:os'

/**
 * Who a change made without an AccessKey is audited as — the CLI on the local store, the
 * server's own start (`BootstrapAdmin`) — `local:<OS user>`. The `:` never occurs in a user
 * name, so this caller is nobody in the store (a policy cannot be attached to it, and
 * `CreateAccessKey` without `UserName` finds no user).
 */
export function localCallerName(): string {
  try {
    return `local:${userInfo().username}`
  } catch {
    // No passwd entry (some containers): the uid still says who it was.
    const uid = process.getuid?.()
    return uid === undefined ? 'local:unknown' : `local:uid-${uid}`
  }
}
