import { hashPassword } from '../../../store/password-hash.ts'
import { defineAction } from '../action.ts'
import { passwordParam, userNameParam } from '../identity/params.ts'

/**
 * RAM `UpdateLoginProfile` (`UserName`, `Password`) → `{LoginProfile}`: sets or replaces the
 * user's console password. Unlike RAM it also creates a missing login profile, so one action
 * covers RAM's `CreateLoginProfile` too. It ends the user's console sessions (contract §7,
 * "revocable"): whoever knew the old password signs in again with the new one.
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
    // After the password, not before: a sign-in with the old password between the two steps
    // would otherwise survive. One with the new password in between is revoked (signs in again).
    const revokedSessions = await services.store.tempCredentials.revokeForUser(userName)
    return {
      data: {
        LoginProfile: { UserName: userName, PasswordResetRequired: false, MFABindRequired: false },
      },
      audit: { userName, revokedSessions },
    }
  },
})
