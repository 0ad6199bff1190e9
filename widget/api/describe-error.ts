import type { Messages } from '../i18n.ts'

type Words = { message: string; action: string }

/** The widget's own words for `code` (i18n `local`), or null when it leaves it to the server. */
export function ownWords(t: Messages, code: string | null | undefined): Words | null {
  return code && Object.hasOwn(t.local, code) ? t.local[code as keyof Messages['local']] : null
}

/**
 * The message and action a bookkeeper reads for an error: the server's own words when it sent
 * them (it always does), else the widget's for the few codes it names itself, else a general
 * "something went wrong". The widget carries no copy of the server's error table.
 * "Correct the fields listed" is only said when fields are listed (`fieldCount`): otherwise there
 * is nothing the user could correct.
 */
export function describeError(t: Messages, code: string, server?: Words | null, fieldCount = 0): Words {
  const words = server ?? ownWords(t, code) ?? t.local.internal
  return code === 'validation_failed' && fieldCount === 0 ? { ...words, action: t.notYourInput } : words
}
