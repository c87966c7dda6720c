import { defineAction } from '../action.ts'
import { requiredString } from '../params.ts'
import { requireAccessKey } from '../identity/lookups.ts'
import { optionalUserNameParam } from '../identity/params.ts'

/** RAM `DeleteAccessKey` (`UserAccessKeyId`, optional owning `UserName`) → `"None"`. */
export const deleteAccessKey = defineAction({
  name: 'DeleteAccessKey',
  ramAction: 'ram:DeleteAccessKey',
  params: ['UserAccessKeyId', 'UserName'],
  audited: true,
  parse: (params) => ({
    accessKeyId: requiredString(params, 'UserAccessKeyId', 128),
    userName: optionalUserNameParam(params),
  }),
  resource: () => '*',
  async handle({ accessKeyId, userName }, { services }) {
    const key = await requireAccessKey(services.store, accessKeyId, userName)
    await services.store.accessKeys.delete(accessKeyId)
    return { data: 'None', audit: { accessKeyId, userName: key.userName } }
  },
})
