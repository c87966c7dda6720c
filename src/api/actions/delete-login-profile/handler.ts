import { StoreNotFoundError } from '../../../store/errors.ts'
import { defineAction } from '../action.ts'
import { requireUser } from '../identity/lookups.ts'
import { userNameParam } from '../identity/params.ts'

/**
 * RAM `DeleteLoginProfile` (`UserName`) → `"None"`: the user can no longer sign in to the
 * console, and its console sessions end now rather than within the hour.
 */
export const deleteLoginProfile = defineAction({
  name: 'DeleteLoginProfile',
  ramAction: 'ram:DeleteLoginProfile',
  params: ['UserName'],
  audited: true,
  parse: (params) => ({ userName: userNameParam(params) }),
  resource: () => '*',
  async handle({ userName }, { services }) {
    const user = await requireUser(services.store, userName)
    // RAM: EntityNotExist.User.LoginProfile when there is none to delete.
    if (!user.hasPassword) {
      throw new StoreNotFoundError('loginProfile', `user ${userName} has no login profile`)
    }
    await services.store.users.setPassword(userName, null)
    const revokedSessions = await services.store.tempCredentials.revokeForUser(userName)
    return { data: 'None', audit: { userName, revokedSessions } }
  },
})
