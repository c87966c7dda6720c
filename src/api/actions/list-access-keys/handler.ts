import { defineAction } from '../action.ts'
import { requireUser } from '../identity/lookups.ts'
import { optionalUserNameParam } from '../identity/params.ts'
import { presentAccessKey } from '../identity/present.ts'

/**
 * RAM `ListAccessKeys` (`UserName`) → `{AccessKeys: {AccessKey: [{AccessKeyId, UserName, Status,
 * CreateDate}]}}`, never a secret. Without `UserName` it lists every user's keys (RAM lists the
 * caller's own): the console and `keys list` show them all to an administrator.
 */
export const listAccessKeys = defineAction({
  name: 'ListAccessKeys',
  ramAction: 'ram:ListAccessKeys',
  params: ['UserName'],
  audited: false,
  parse: (params) => ({ userName: optionalUserNameParam(params) }),
  resource: () => '*',
  async handle({ userName }, { services }) {
    if (userName !== undefined) await requireUser(services.store, userName)
    const keys = await services.store.accessKeys.list(userName)
    return { data: { AccessKeys: { AccessKey: keys.map(presentAccessKey) } } }
  },
})
