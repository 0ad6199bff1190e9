import { z } from 'zod'

/**
 * Building blocks of the API schemas: ids, text, dates, pages.
 *
 * @example idOf('inv').parse('inv_01h…')
 */
export const TenantIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'Letters, digits and _ . : - only, at most 128 characters')
  .meta({ description: "The host app's own identifier of the account", example: 'acme-plumbing' })

export function idOf(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[a-z2-7]{26}$`), `Must be an id starting with ${prefix}_`)
    .meta({ example: `${prefix}_aaaaaayzqsyq2w6dzjwxnyhzcm` })
}

/**
 * What a text field lets through besides printable characters.
 * - `text`: tab and newline (a name or an address pasted from a form).
 * - `multiline`: tab, newline and carriage return (notes and line descriptions: a browser's
 *   textarea sends CRLF).
 * - `key`: nothing invisible at all (document numbers, external ids, tax codes): a key is matched
 *   by exact value here and at the provider, so it may not hold anything that looks like nothing
 *   or like a space. Format characters (zero-width, bidi controls) and spaces other than U+0020
 *   are refused too.
 */
export type TextKind = 'text' | 'multiline' | 'key'

const ALLOWED_WORDS: Record<TextKind, string> = {
  text: 'only tab and newline are allowed',
  multiline: 'only tab, newline and carriage return are allowed',
  key: 'use letters, digits, punctuation and spaces only',
}
const DESCRIBED: Record<TextKind, string> = {
  text: 'no control characters but tab and newline',
  multiline: 'no control characters but tab, newline and carriage return',
  key: 'no control or invisible characters',
}
/** U+FDD0–U+FDEF and the last two code points of each of the 17 planes. */
const NONCHARACTERS =
  '\\uFDD0-\\uFDEF' +
  Array.from(
    { length: 17 },
    (_, plane) => `\\u{${plane.toString(16)}fffe}\\u{${plane.toString(16)}ffff}`,
  ).join('')
/** The characters each kind refuses, lone surrogates (`\p{Cs}` in `u` mode) included: one scan. */
const REFUSED: Record<TextKind, RegExp> = {
  text: new RegExp(`[\\0-\\x08\\x0b-\\x1f\\x7f-\\x9f\\p{Cs}${NONCHARACTERS}]`, 'u'),
  multiline: new RegExp(`[\\0-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\p{Cs}${NONCHARACTERS}]`, 'u'),
  key: new RegExp(`(?! )[\\p{Cc}\\p{Cf}\\p{Z}\\p{Cs}${NONCHARACTERS}]`, 'u'),
}
const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * Why `value` cannot be stored as text of this kind, or null. NUL cuts a stored value short when
 * it is read back (the SQLite drivers end strings there), so `"Acme\u0000 Ltd"` would read as
 * `"Acme"`; other control characters (C0, DEL, C1) are invisible and let two values look alike;
 * a lone surrogate is not Unicode and comes back as U+FFFD; noncharacters (U+FDD0–U+FDEF and
 * U+xFFFE/U+xFFFF) are outside XML 1.0, which QuickBooks' and Xero's APIs also speak.
 *
 * @example badCharacter('Acme\u0000 Ltd', 'text') // 'Contains the control character U+0000 at character 5; only tab and newline are allowed'
 */
export function badCharacter(value: string, kind: TextKind): string | null {
  const found = REFUSED[kind].exec(value)
  if (!found) return null
  const cp = found[0].codePointAt(0)!
  const at = `at character ${found.index + 1}`
  if (cp >= 0xd800 && cp <= 0xdfff) return `Contains a lone surrogate (${hex(cp)}) ${at}: not valid Unicode`
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
    return `Contains the control character ${hex(cp)} ${at}; ${ALLOWED_WORDS[kind]}`
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe)
    return `Contains the noncharacter ${hex(cp)} ${at}`
  return `Contains the invisible character ${hex(cp)} ${at}; ${ALLOWED_WORDS.key}`
}

/** The bounds of a text field in words, for the OpenAPI description of a field that adds its own. */
export const textRules = (max: number, kind: TextKind = 'text') =>
  `at most ${max} characters; ${DESCRIBED[kind]}`

export interface TextOptions {
  kind?: TextKind
  /** At least this many characters after trimming; with `required` as the message. */
  min?: number
  required?: string
  /** External ids are the host's own bytes: compared as sent, never trimmed. */
  trim?: boolean
}

/**
 * Every text field of the host data API: refuses characters that cannot round-trip or that hide
 * (see `badCharacter`), trims, and caps the length, each with a field error naming the field.
 *
 * @example textOf(64, { kind: 'key', min: 1, required: 'An invoice needs a number' })
 */
export function textOf(max: number, options: TextOptions = {}) {
  const kind = options.kind ?? 'text'
  let schema = z.string().check((ctx) => {
    const why = badCharacter(ctx.value, kind)
    if (why) ctx.issues.push({ code: 'custom', message: why, input: ctx.value })
  })
  if (options.trim !== false) schema = schema.trim()
  if (options.min)
    schema = schema.min(
      options.min,
      options.required ?? `At least ${options.min} character${options.min === 1 ? '' : 's'}`,
    )
  const rules = textRules(max, kind)
  return schema
    .max(max, `At most ${max} characters`)
    .meta({ description: rules[0]!.toUpperCase() + rules.slice(1) })
}

/** A calendar date, YYYY-MM-DD, that exists. */
export const DateSchema = z.iso
  .date({ message: 'Must be a date as YYYY-MM-DD' })
  .meta({ example: '2026-11-22' })

export const TimestampSchema = z.iso.datetime().meta({ example: '2026-11-22T10:15:00.000Z' })

export const ExternalIdSchema = textOf(255, { kind: 'key', min: 1, trim: false }).meta({
  description: `The host app's own id of the record, unique per tenant; ${textRules(255, 'key')}`,
})

/** The most items a page holds, and (about) the most bytes of documents it holds. */
export const PAGE_LIMIT_MAX = 200
export const PAGE_BYTES_MAX = 2 * 1024 * 1024

export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1, 'At least 1')
    .max(PAGE_LIMIT_MAX, `At most ${PAGE_LIMIT_MAX} items per page`)
    .default(50)
    .meta({
      description:
        `Items per page (1–${PAGE_LIMIT_MAX}, 50 by default). A page also stops before its items pass about ` +
        '2 MiB of JSON (only invoices and credit notes get that large), so it may hold fewer: follow ' +
        '`nextCursor` to the end.',
    }),
  cursor: z.string().max(200).optional().meta({ description: 'The `nextCursor` of the previous page' }),
})

/** A page of items and the cursor of the next one (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() })
}
