import { hashPassword } from '../../../store/password-hash.ts'
import { defineAction } from '../action.ts'
import { passwordParam, userNameParam } from '../identity/params.ts'

/**
 * RAM `UpdateLoginProfile` (`UserName`, `Password`) → `{LoginProfile}`: sets or replaces the
 * user's console password. Unlike RAM it also creates a missing login profile, so one action
 * covers RAM's `CreateLoginProfile` too. Console sessions already issued stay valid until they
 * expire or sign out.
 */
export const updateLoginProfile = defineAction({
  name: 'UpdateLoginProfile',
  ramAction: 'ram:UpdateLoginProfile',
  params: ['UserName', 'Password'],
  audited: true,
  parse: (params) => ({ userName: userNameParam(params), password: passwordParam(params) }),
  resource: () => '*',
  async handle({ userName, password }, { services }) {
    await services.store.users.setPassword(userName, await hashPassword(password))
    return {
      data: {
        LoginProfile: { UserName: userName, PasswordResetRequired: false, MFABindRequired: false },
      },
      audit: { userName },
    }
  },
})
