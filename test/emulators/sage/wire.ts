import { randomBytes } from 'node:crypto'

/** Sage ids are 32 lowercase hex characters (e.g. "0d40342d0287cd6b13555c54afca6c90"). */
export const newId = () => randomBytes(16).toString('hex')

/** Sage renders datetimes to the second, in UTC ("2019-08-24T14:15:22Z"). */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The nested-reference shape (`Base` in the v3.1 schema). */
export interface Ref {
  id: string
  displayed_as: string
  $path: string
}

export const ref = (collection: string, id: string, displayedAs: string): Ref => ({
  id,
  displayed_as: displayedAs,
  $path: `/${collection}/${id}`,
})

/**
 * Lists answer only the base attributes (id, displayed_as, $path) unless `attributes` names more,
 * or is `all`: an adapter that forgets `attributes=all` gets no amounts, as with the real API.
 */
export function selectAttributes(full: Record<string, unknown>, attributes: string | undefined) {
  if (attributes === 'all') return full
  const wanted = new Set(['id', 'displayed_as', '$path'])
  for (const name of (attributes ?? '').split(',')) if (name.trim()) wanted.add(name.trim())
  return Object.fromEntries(Object.entries(full).filter(([key]) => wanted.has(key)))
}
