import { defineAction } from '../action.ts'
import { requireUser } from '../identity/lookups.ts'
import { userNameParam } from '../identity/params.ts'

/**
 * `RevokeConsoleSessions` (`UserName`) → `{Revoked}`: ends every console session of a user at
 * once (contract §7, "revocable"), e.g. after a lost laptop; the user's next request with those
 * temporary credentials gets `InvalidAccessKeyId.NotFound`. Not a RAM action (RAM has no console
 * credentials); named in RAM's style under the `ram` code like the other identity actions. The
 * user's password and AccessKeys are untouched.
 */
export const revokeConsoleSessions = defineAction({
  name: 'RevokeConsoleSessions',
  ramAction: 'ram:RevokeConsoleSessions',
  params: ['UserName'],
  audited: true,
  parse: (params) => ({ userName: userNameParam(params) }),
  resource: () => '*',
  async handle({ userName }, { services }) {
    await requireUser(services.store, userName)
    const revoked = await services.store.tempCredentials.revokeForUser(userName)
    return { data: { Revoked: revoked }, audit: { userName, revoked } }
  },
})
