import { defineAction } from '../action.ts'
import { invalid } from '../params.ts'
import { userNameParam } from '../identity/params.ts'

/**
 * RAM `DeleteUser` (`UserName`) → `"None"`. Unlike RAM, which refuses while keys or policies
 * remain, the user's AccessKeys, console sessions and attachments go with it (one transaction
 * in the store). A caller cannot delete its own user: that would lock it out mid-session.
 */
export const deleteUser = defineAction({
  name: 'DeleteUser',
  ramAction: 'ram:DeleteUser',
  params: ['UserName'],
  audited: true,
  parse: (params) => ({ userName: userNameParam(params) }),
  resource: () => '*',
  async handle({ userName }, { caller, services }) {
    if (userName === caller.userName) invalid(`user ${userName} cannot delete itself`)
    await services.store.users.delete(userName)
    return { data: 'None', audit: { userName } }
  },
})
