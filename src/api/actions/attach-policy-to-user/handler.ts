import { defineAction } from '../action.ts'
import { policyNameParam, policyTypeParam, userNameParam } from '../identity/params.ts'

/**
 * RAM `AttachPolicyToUser` (`PolicyType`, `PolicyName`, `UserName`) → `"None"`. Applies from the
 * user's next request: policies are read from the store on every request.
 */
export const attachPolicyToUser = defineAction({
  name: 'AttachPolicyToUser',
  ramAction: 'ram:AttachPolicyToUser',
  params: ['PolicyType', 'PolicyName', 'UserName'],
  audited: true,
  parse: (params) => {
    policyTypeParam(params)
    return { policyName: policyNameParam(params), userName: userNameParam(params) }
  },
  resource: () => '*',
  async handle({ policyName, userName }, { services }) {
    await services.store.policies.attach(policyName, userName)
    return { data: 'None', audit: { policyName, userName } }
  },
})
