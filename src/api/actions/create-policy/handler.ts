import { parsePolicyDocument } from '../../authz/policy-document.ts'
import { defineAction } from '../action.ts'
import { optionalString, requiredString } from '../params.ts'
import { policyNameParam } from '../identity/params.ts'
import { presentPolicy } from '../identity/present.ts'

/** RAM's limit on a policy description. */
const MAX_DESCRIPTION_LENGTH = 1024
/**
 * Read limit on the raw parameter: above the parser's own 6144-character cap, so that an
 * over-long document is refused by the parser with its reason (`PolicyDocumentTooLong`).
 */
const MAX_DOCUMENT_PARAM_LENGTH = 65536

/**
 * RAM `CreatePolicy` (`PolicyName`, `PolicyDocument`, `Description`) → `{Policy}`. The document
 * is validated with the same parser that authorizes requests, so a stored policy always
 * evaluates; a bad one is `InvalidParams` with the parser's one-line reason in `Detail`.
 */
export const createPolicy = defineAction({
  name: 'CreatePolicy',
  ramAction: 'ram:CreatePolicy',
  params: ['PolicyName', 'PolicyDocument', 'Description'],
  audited: true,
  parse: (params) => {
    const policyName = policyNameParam(params)
    const document = requiredString(params, 'PolicyDocument', MAX_DOCUMENT_PARAM_LENGTH)
    // Throws PolicyDocumentError, mapped to InvalidParams by to-api-error.ts.
    parsePolicyDocument(document)
    const description = optionalString(params, 'Description', MAX_DESCRIPTION_LENGTH) ?? ''
    return { policyName, document, description }
  },
  resource: () => '*',
  async handle({ policyName, document, description }, { services }) {
    const policy = await services.store.policies.create(policyName, document, description)
    return { data: { Policy: presentPolicy(policy) }, audit: { policyName } }
  },
})
