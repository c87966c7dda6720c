import { defineAction } from '../action.ts'
import { invalid } from '../params.ts'

/**
 * Console sign-out (contract §7): revokes the temporary credentials that signed this very
 * request, so the next request with them gets `InvalidAccessKeyId.NotFound`. It takes no
 * parameters and touches only the caller's own credentials, hence `selfService`: every
 * authenticated caller may sign itself out without a policy granting `ram:DeleteConsoleSession`.
 */
export const deleteConsoleSession = defineAction({
  name: 'DeleteConsoleSession',
  ramAction: 'ram:DeleteConsoleSession',
  params: [],
  audited: true,
  selfService: true,
  parse: () => ({}),
  resource: () => '*',
  async handle(_params, { caller, services }) {
    if (!caller.temporary) {
      invalid('DeleteConsoleSession signs out console credentials: sign it with them')
    }
    await services.store.tempCredentials.revoke(caller.accessKeyId)
    return { data: 'None', audit: { accessKeyId: caller.accessKeyId } }
  },
})
