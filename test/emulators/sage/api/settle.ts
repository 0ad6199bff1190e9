import { recordInvalid, recordNotFound } from '../errors.ts'
import { toMinor } from '../money.ts'
import type { Allocation, Business, Settlement } from '../types.ts'
import { statusFor } from './artefact-kinds.ts'
import { checkParams, num, str, throwIfProblems } from './params.ts'

/**
 * Reads `allocated_artefacts` for a receipt (invoices, positive amounts) or an allocation (invoice
 * positive, credit note negative, as Sage signs them). Every artefact must belong to the contact,
 * be issued (not draft or void) and have at least the amount outstanding.
 */
export function readAllocations(
  business: Business,
  contactId: string,
  raw: unknown[],
  path: string,
): Allocation[] {
  throwIfProblems(
    raw.flatMap((a, i) =>
      checkParams((a ?? {}) as Record<string, unknown>, `${path}[${i}]`, {
        artefact_id: { kind: 'string', required: true },
        amount: { kind: 'number', required: true },
        discount: { kind: 'number' },
      }),
    ),
  )
  const seen = new Set<string>()
  return (raw as Record<string, unknown>[]).map((a) => {
    const artefact = business.artefacts.get(str(a.artefact_id)!)
    if (!artefact || artefact.deletedAt !== null || artefact.contactId !== contactId) throw recordNotFound()
    if (artefact.status === 'DRAFT' || artefact.status === 'VOID')
      throw recordInvalid('A draft or void transaction cannot be allocated.', 'allocated_artefacts')
    if (seen.has(artefact.id))
      throw recordInvalid('An artefact may be allocated only once.', 'allocated_artefacts')
    seen.add(artefact.id)
    const amountMinor = toMinor(num(a.amount)!)
    const discountMinor = toMinor(num(a.discount) ?? 0)
    const sign = artefact.kind === 'sales_invoice' ? 1 : -1
    const settled = sign * amountMinor + discountMinor
    if (sign * amountMinor <= 0 || discountMinor < 0)
      throw recordInvalid(
        'The allocated amount has the wrong sign for this transaction.',
        'allocated_artefacts',
      )
    if (settled > artefact.outstandingMinor)
      throw recordInvalid(
        'The allocated amount is greater than the outstanding amount.',
        'allocated_artefacts',
      )
    return { artefactId: artefact.id, amountMinor, discountMinor }
  })
}

/** Applies (+1) or reverses (-1) a settlement's allocations on the documents it settles. */
export function applySettlement(business: Business, s: Settlement, direction: 1 | -1, now: number): void {
  for (const a of s.allocations) {
    const artefact = business.artefacts.get(a.artefactId)!
    const sign = artefact.kind === 'sales_invoice' ? 1 : -1
    artefact.outstandingMinor -= direction * (sign * a.amountMinor + a.discountMinor)
    artefact.status = statusFor(artefact.status, artefact.totalMinor, artefact.outstandingMinor)
    artefact.lastPaid = lastPaid(business, artefact.id, direction === 1 ? s : null)
    artefact.updatedAt = now
  }
}

function lastPaid(business: Business, artefactId: string, adding: Settlement | null): string | null {
  const dates = [...business.settlements.values(), ...(adding ? [adding] : [])]
    .filter((s) => s.deletedAt === null && s.allocations.some((a) => a.artefactId === artefactId))
    .map((s) => s.date)
    .sort()
  return dates.at(-1) ?? null
}
