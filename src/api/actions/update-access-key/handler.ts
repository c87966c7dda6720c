import type { AccessKeyStatus } from '../../../store/store.ts'
import { defineAction } from '../action.ts'
import { invalid, requiredString } from '../params.ts'
import { requireAccessKey } from '../identity/lookups.ts'
import { optionalUserNameParam } from '../identity/params.ts'

/**
 * RAM `UpdateAccessKey` (`UserAccessKeyId`, `Status` = `Active` | `Inactive`, optional
 * `UserName` that must own the key) → `"None"`. An Inactive key is refused with
 * `InvalidAccessKeyId.Inactive` from its next request on.
 */
export const updateAccessKey = defineAction({
  name: 'UpdateAccessKey',
  ramAction: 'ram:UpdateAccessKey',
  params: ['UserAccessKeyId', 'Status', 'UserName'],
  audited: true,
  parse: (params) => {
    const status = requiredString(params, 'Status', 16)
    if (!isStatus(status)) invalid('Status must be Active or Inactive')
    return {
      accessKeyId: requiredString(params, 'UserAccessKeyId', 128),
      status,
      userName: optionalUserNameParam(params),
    }
  },
  resource: () => '*',
  async handle({ accessKeyId, status, userName }, { services }) {
    const key = await requireAccessKey(services.store, accessKeyId, userName)
    await services.store.accessKeys.setStatus(accessKeyId, status)
    return { data: 'None', audit: { accessKeyId, userName: key.userName, status } }
  },
})

function isStatus(value: string): value is AccessKeyStatus {
  return value === 'Active' || value === 'Inactive'
}
