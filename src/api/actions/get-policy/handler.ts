import { StoreNotFoundError } from '../../../store/errors.ts'
import { defineAction } from '../action.ts'
import { policyNameParam, policyTypeParam } from '../identity/params.ts'
import { isoDate, presentPolicy } from '../identity/present.ts'

/**
 * RAM `GetPolicy` (`PolicyName`, `PolicyType`) → `{Policy, DefaultPolicyVersion: {VersionId,
 * IsDefaultVersion, PolicyDocument, CreateDate}}`: the document as it was submitted.
 */
export const getPolicy = defineAction({
  name: 'GetPolicy',
  ramAction: 'ram:GetPolicy',
  params: ['PolicyName', 'PolicyType'],
  audited: false,
  parse: (params) => {
    policyTypeParam(params)
    return { policyName: policyNameParam(params) }
  },
  resource: () => '*',
  async handle({ policyName }, { services }) {
    const policy = await services.store.policies.get(policyName)
    if (policy === undefined) throw new StoreNotFoundError('policy', `no policy ${policyName}`)
    return {
      data: {
        Policy: presentPolicy(policy),
        DefaultPolicyVersion: {
          VersionId: 'v1',
          IsDefaultVersion: true,
          PolicyDocument: policy.document,
          CreateDate: isoDate(policy.createdAt),
        },
      },
    }
  },
})
