/**
 * The condition keys a request carries (protocol.md §12, "Conditions") and how each operator
 * family reads them. Keys are matched case-insensitively, as RAM documents them in mixed case
 * (`acs:SourceIp`, `acs:MFAPresent`) and users type them either way. Any other key
 * (`acs:SourceVpc`, `acs:PrincipalARN`, a typo) is absent from every request.
 */
import { NUMERIC_STRING } from './condition-operators.ts'
import type { AuthzContext } from './evaluate-policy.ts'
import { parseIpAddress, type IpAddress } from './ip-range.ts'

/** The request context with the derived values computed at most once per evaluation. */
export class RequestFacts {
  readonly context: AuthzContext
  // undefined: not parsed yet; null: not an IP address.
  #sourceIp: IpAddress | null | undefined

  constructor(context: AuthzContext) {
    this.context = context
  }

  /** `acs:SourceIp`, IPv4-mapped IPv6 turned into IPv4; `undefined` when unparsable. */
  sourceIp(): IpAddress | undefined {
    if (this.#sourceIp === undefined) this.#sourceIp = parseIpAddress(this.context.sourceIp) ?? null
    return this.#sourceIp ?? undefined
  }
}

/**
 * How to read one key. `text` serves the String and Numeric families (Numeric parses it); the
 * typed readers exist only for keys of that type, so e.g. `IpAddress` on `acs:UserName` finds no
 * value and behaves as for an absent key.
 */
export interface KeyReader {
  readonly text: (facts: RequestFacts) => string | undefined
  readonly date?: (facts: RequestFacts) => number | undefined
  readonly bool?: (facts: RequestFacts) => boolean
  readonly ip?: (facts: RequestFacts) => IpAddress | undefined
}

const bool = (read: (context: AuthzContext) => boolean): KeyReader => ({
  text: (facts) => String(read(facts.context)),
  bool: (facts) => read(facts.context),
})

const KEYS = new Map<string, KeyReader>([
  [
    'acs:sourceip',
    {
      text: (facts) => facts.sourceIp()?.toString() ?? facts.context.sourceIp,
      ip: (facts) => facts.sourceIp(),
    },
  ],
  [
    'acs:currenttime',
    {
      text: (facts) => validTime(facts.context.currentTime)?.toISOString(),
      date: (facts) => validTime(facts.context.currentTime)?.getTime(),
    },
  ],
  ['acs:securetransport', bool((context) => context.secureTransport)],
  ['acs:mfapresent', bool((context) => context.mfaPresent)],
  ['acs:accessid', { text: (facts) => facts.context.accessKeyId }],
  // Ours: RAM has no user-name key; the name is what our policies are written against.
  ['acs:username', { text: (facts) => facts.context.userName }],
])

/** The reader of a key, or `undefined` for a key requests never carry. */
export function keyReader(key: string): KeyReader | undefined {
  return KEYS.get(key.toLowerCase())
}

/** A key's text as a number, for the Numeric family; `undefined` when it is not numeric. */
export function numericValue(text: string | undefined): number | undefined {
  if (text === undefined || !NUMERIC_STRING.test(text)) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

function validTime(time: Date): Date | undefined {
  return Number.isNaN(time.getTime()) ? undefined : time
}
