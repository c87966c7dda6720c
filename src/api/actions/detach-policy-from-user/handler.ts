import { defineAction } from '../action.ts'
import { policyNameParam, policyTypeParam, userNameParam } from '../identity/params.ts'

/** RAM `DetachPolicyFromUser` (`PolicyType`, `PolicyName`, `UserName`) → `"None"`. */
export const detachPolicyFromUser = defineAction({
  name: 'DetachPolicyFromUser',
  ramAction: 'ram:DetachPolicyFromUser',
  params: ['PolicyType', 'PolicyName', 'UserName'],
  audited: true,
  parse: (params) => {
    policyTypeParam(params)
    return { policyName: policyNameParam(params), userName: userNameParam(params) }
  },
  resource: () => '*',
  async handle({ policyName, userName }, { services }) {
    await services.store.policies.detach(policyName, userName)
    return { data: 'None', audit: { policyName, userName } }
  },
})
