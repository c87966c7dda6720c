import { defineAction } from '../action.ts'
import { pageParams, paginate } from '../identity/paginate.ts'
import { policyTypeParam } from '../identity/params.ts'
import { presentPolicy } from '../identity/present.ts'

/** RAM `ListPolicies` (`PolicyType`, `Marker`, `MaxItems`) → `{Policies: {Policy: [...]}, IsTruncated, Marker?}`. */
export const listPolicies = defineAction({
  name: 'ListPolicies',
  ramAction: 'ram:ListPolicies',
  params: ['PolicyType', 'Marker', 'MaxItems'],
  audited: false,
  parse: (params) => {
    policyTypeParam(params)
    return pageParams(params)
  },
  resource: () => '*',
  async handle(request, { services }) {
    const policies = await services.store.policies.list()
    const page = paginate(policies, (policy) => policy.name, request)
    return {
      data: {
        Policies: { Policy: page.items.map(presentPolicy) },
        IsTruncated: page.isTruncated,
        ...(page.marker === undefined ? {} : { Marker: page.marker }),
      },
    }
  },
})
