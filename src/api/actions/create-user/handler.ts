import { hashPassword } from '../../../store/password-hash.ts'
import { defineAction } from '../action.ts'
import { checkPassword, userNameParam } from '../identity/params.ts'
import { presentUser } from '../identity/present.ts'

/**
 * RAM `CreateUser` (`UserName`) → `{User}`. Extension: an optional `Password` gives the user a
 * console password in the same call (RAM needs a second call, `CreateLoginProfile`); without it
 * the user can only use AccessKeys until `UpdateLoginProfile` sets one.
 */
export const createUser = defineAction({
  name: 'CreateUser',
  ramAction: 'ram:CreateUser',
  params: ['UserName', 'Password'],
  audited: true,
  parse: (params) => {
    const password = params.get('Password')
    return {
      userName: userNameParam(params),
      password: password === undefined || password === '' ? undefined : checkPassword(password),
    }
  },
  resource: () => '*',
  async handle({ userName, password }, { services }) {
    const hash = password === undefined ? undefined : await hashPassword(password)
    const user = await services.store.users.create(userName, hash)
    // Never the password, not even its hash: only whether one was set.
    return {
      data: { User: presentUser(user) },
      audit: { userName, loginProfile: password !== undefined },
    }
  },
})
