import type {
  ContactInput,
  ContactMatch,
  ContactQuery,
  ProviderAuth,
  ProviderRef,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'

/**
 * One customer through the batched contact calls, its item's failure thrown: the single-customer
 * cases of each conformance suite read as before, through the same production calls.
 */
export async function findContact(
  sync: ProviderSync,
  auth: ProviderAuth,
  query: ContactQuery,
): Promise<ContactMatch | null> {
  const [answer] = await sync.contacts.findMany(auth, [query])
  if (!answer) throw new Error('findMany answered nothing')
  if (!answer.ok) throw answer.error
  return answer.match
}

export async function createContact(
  sync: ProviderSync,
  auth: ProviderAuth,
  contact: ContactInput,
  key: string,
): Promise<ProviderRef> {
  const [answer] = await sync.contacts.upsertMany(auth, [contact], key)
  if (!answer) throw new Error('upsertMany answered nothing')
  if (!answer.ok) throw answer.error
  return answer.contact
}
