/** The official clients (and client modes) the SDK tests call the server with. */
export type Family =
  'pop-core GET' | 'pop-core POST' | 'openapi-client V3' | 'openapi-client v2' | 'openapi-core V3'

/** Every family, in the order the tables list them. */
export const FAMILIES: readonly Family[] = [
  'pop-core GET',
  'pop-core POST',
  'openapi-client V3',
  'openapi-client v2',
  'openapi-core V3',
]
