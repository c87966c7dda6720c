import { StoreNotFoundError } from '../../../store/errors.ts'
import type { AccessKeySummary, Store, UserSummary } from '../../../store/store.ts'

/** The user, or the store's not-found error (→ `EntityNotExist`). */
export async function requireUser(store: Store, userName: string): Promise<UserSummary> {
  const user = await store.users.get(userName)
  if (user === undefined) throw new StoreNotFoundError('user', `no user ${userName}`)
  return user
}

/**
 * The AccessKey, checked to belong to `userName` when one is given (RAM's optional `UserName`
 * of UpdateAccessKey/DeleteAccessKey). A key of someone else is reported as not found.
 */
export async function requireAccessKey(
  store: Store,
  accessKeyId: string,
  userName: string | undefined
): Promise<AccessKeySummary> {
  if (userName !== undefined) await requireUser(store, userName)
  const keys = await store.accessKeys.list(userName)
  const key = keys.find((candidate) => candidate.accessKeyId === accessKeyId)
  if (key === undefined) {
    const owner = userName === undefined ? '' : ` of user ${userName}`
    throw new StoreNotFoundError('accessKey', `no AccessKey ${accessKeyId}${owner}`)
  }
  return key
}
