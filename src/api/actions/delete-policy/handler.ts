import { defineAction } from '../action.ts'
import { policyNameParam, policyTypeParam } from '../identity/params.ts'

/**
 * RAM `DeletePolicy` (`PolicyName`) → `"None"`. Unlike RAM, which refuses while the policy is
 * attached, it is detached from every user in the same transaction.
 */
export const deletePolicy = defineAction({
  name: 'DeletePolicy',
  ramAction: 'ram:DeletePolicy',
  params: ['PolicyName', 'PolicyType'],
  audited: true,
  parse: (params) => {
    policyTypeParam(params)
    return { policyName: policyNameParam(params) }
  },
  resource: () => '*',
  async handle({ policyName }, { services }) {
    await services.store.policies.delete(policyName)
    return { data: 'None', audit: { policyName } }
  },
})
