/** The kinds of host record the sync carries, and their names in a bookkeeper's words. */
const NAMES = {
  invoice: ['invoice', 'invoices'],
  customer: ['customer', 'customers'],
  credit_note: ['credit note', 'credit notes'],
  payment: ['payment', 'payments'],
} as const satisfies Record<string, readonly [string, string]>

export type RecordKind = keyof typeof NAMES

export const isRecordKind = (kind: string): kind is RecordKind => Object.hasOwn(NAMES, kind)

/** "1 invoice", "3 credit notes". */
export function countOf(n: number, kind: RecordKind): string {
  const [one, many] = NAMES[kind]
  return `${n} ${n === 1 ? one : many}`
}

/** "Credit note": the kind's name at the start of a sentence. */
export function kindName(kind: RecordKind): string {
  const one = NAMES[kind][0]
  return one.charAt(0).toUpperCase() + one.slice(1)
}
