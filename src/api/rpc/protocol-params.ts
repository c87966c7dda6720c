/**
 * Parameters of the RPC protocol itself (protocol.md §1), accepted with every action.
 * Anything else must be a business parameter of the action called.
 */
export const PROTOCOL_PARAMS: ReadonlySet<string> = new Set([
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'Timestamp',
  'Signature',
  'SecurityToken',
  'RegionId',
])
