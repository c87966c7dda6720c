/**
 * The catalogue of wire error codes (docs/errors.md, protocol.md §9, contract.md §6). The codes
 * and messages are Alibaba's where Alibaba has one, so that SDK users recognise them; the few of
 * our own follow the same `Noun.Reason` shape. `{Name}` in a message is filled by `ApiError`.
 * docs/errors.md lists exactly these codes: `catalog.test.ts` keeps the two in sync.
 */

/** HTTP status and fixed message of one code. */
export interface CatalogEntry {
  readonly httpStatus: number
  readonly message: string
}

const ENTRIES = {
  // Request shape and parameters
  MissingParameter: { httpStatus: 400, message: '{Name} is mandatory for this action.' },
  'InvalidParameter.Format': {
    httpStatus: 400,
    message: 'Specified parameter format is not valid.',
  },
  'InvalidParameter.Duplicate': {
    httpStatus: 400,
    message: 'Specified parameter {Name} is given more than once.',
  },
  RequestBodyTooLarge: { httpStatus: 413, message: 'The request body is too large.' },
  InvalidParams: { httpStatus: 400, message: 'The request parameters are invalid.' },
  'InvalidApi.NotFound': {
    httpStatus: 404,
    message: 'Specified api is not found, please check your url and method.',
  },
  InvalidVersion: { httpStatus: 400, message: 'Specified parameter Version is not valid.' },
  UnsupportedHTTPMethod: { httpStatus: 400, message: 'This http method is not supported.' },
  'InvalidProtocol.NeedSsl': {
    httpStatus: 400,
    message: 'Your request is denied as lack of ssl protect.',
  },
  // Signature and credentials
  IncompleteSignature: {
    httpStatus: 400,
    message: 'The request signature does not conform to Aliyun standards.',
  },
  InvalidSignatureMethod: { httpStatus: 400, message: 'Specified signature method is not valid.' },
  'InvalidContentSha256.Mismatch': {
    httpStatus: 400,
    message: 'Specified x-acs-content-sha256 does not match the request body.',
  },
  SignatureDoesNotMatch: {
    httpStatus: 400,
    message: 'Specified signature does not match our calculation.',
  },
  'InvalidTimeStamp.Format': {
    httpStatus: 400,
    message: 'Specified time stamp or date value is not well formatted.',
  },
  'InvalidTimeStamp.Expired': {
    httpStatus: 400,
    message: 'Specified time stamp or date value is expired.',
  },
  SignatureNonceUsed: { httpStatus: 400, message: 'Specified signature nonce was used already.' },
  'InvalidAccessKeyId.NotFound': { httpStatus: 404, message: 'Specified access key is not found.' },
  'InvalidAccessKeyId.Inactive': { httpStatus: 400, message: 'Specified access key is disabled.' },
  'InvalidSecurityToken.Expired': {
    httpStatus: 400,
    message: 'Specified SecurityToken is expired.',
  },
  'InvalidSecurityToken.Malformed': {
    httpStatus: 400,
    message: 'Specified SecurityToken is malformed.',
  },
  'InvalidSecurityToken.MismatchWithAccessKey': {
    httpStatus: 400,
    message: 'Specified SecurityToken mismatch with the AccessKey.',
  },
  // Authorisation and flow control
  NoPermission: { httpStatus: 403, message: 'You are not authorized to do this action.' },
  Throttling: { httpStatus: 400, message: 'Request was denied due to request throttling.' },
  'Throttling.User': { httpStatus: 400, message: 'Request was denied due to user flow control.' },
  'Throttling.API': { httpStatus: 400, message: 'Request was denied due to api flow control.' },
  // Business and server
  EntityAlreadyExists: { httpStatus: 409, message: 'The specified entity already exists.' },
  EntityNotExist: { httpStatus: 404, message: 'The specified entity does not exist.' },
  'InvalidInstanceId.NotFound': {
    httpStatus: 404,
    message: 'The specified instance is not found.',
  },
  InstanceConnectionFailed: {
    httpStatus: 503,
    message: 'No node of the instance could be reached.',
  },
  InternalError: {
    httpStatus: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
  },
  ServiceUnavailable: {
    httpStatus: 503,
    message: 'The request has failed due to a temporary failure of the server.',
  },
} satisfies Record<string, CatalogEntry>

/** A code of the catalogue. */
export type ErrorCode = keyof typeof ENTRIES

/** Every error code this server sends (plus `Missing{Name}`, derived from `MissingParameter`). */
export const ERROR_CATALOG: { readonly [C in ErrorCode]: CatalogEntry } = Object.freeze(ENTRIES)
// Entries are frozen too, so nobody can reword an error at run time.
for (const entry of Object.values(ENTRIES)) Object.freeze(entry)

/** Narrows any string to a catalogue code (e.g. a code read back from a stored audit event). */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, value)
}
