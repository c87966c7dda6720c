import { defineAction } from '../action.ts'
import { optionalUserNameParam } from '../identity/params.ts'
import { isoDate } from '../identity/present.ts'

/**
 * RAM `CreateAccessKey` (`UserName`, default the caller's own user) →
 * `{AccessKey: {AccessKeyId, AccessKeySecret, Status, CreateDate}}`. The only answer that ever
 * carries the secret: lists never do, and the audit log keeps only the AccessKeyId.
 */
export const createAccessKey = defineAction({
  name: 'CreateAccessKey',
  ramAction: 'ram:CreateAccessKey',
  params: ['UserName'],
  audited: true,
  parse: (params) => ({ userName: optionalUserNameParam(params) }),
  resource: () => '*',
  async handle(params, { caller, services }) {
    const userName = params.userName ?? caller.userName
    const key = await services.store.accessKeys.create(userName)
    const listed = await services.store.accessKeys.list(userName)
    const createdAt =
      listed.find((candidate) => candidate.accessKeyId === key.accessKeyId)?.createdAt ??
      services.now().getTime()
    return {
      data: {
        AccessKey: {
          AccessKeyId: key.accessKeyId,
          AccessKeySecret: key.accessKeySecret,
          Status: 'Active',
          CreateDate: isoDate(createdAt),
        },
      },
      audit: { userName, accessKeyId: key.accessKeyId },
    }
  },
})
