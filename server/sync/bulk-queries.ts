import type { RecordKind } from './sync-repo.ts'

/** The statements of bulk runs (bulk-runs.ts): what a run picks, and how its progress is counted. */

/** Records being pushed by a queued or running job are not picked again. */
const NOT_QUEUED = (
  kind: RecordKind,
  alias: string,
) => `NOT EXISTS (SELECT 1 FROM job_records r JOIN jobs j ON j.id = r.job_id
        WHERE r.record_kind = '${kind}' AND r.record_id = ${alias}.id AND j.state IN ('queued', 'running'))`

/** Sent (or paid) invoices whose link is missing or older than what is posted of them, with no push queued. */
export const UNSYNCED_INVOICES = `SELECT i.id, i.customer_id FROM invoices i
    LEFT JOIN sync_links l ON l.connection_id = ?2 AND l.record_kind = 'invoice' AND l.record_id = i.id
    WHERE i.tenant_id = ?1 AND i.status IN ('sent', 'paid') AND (l.synced_version IS NULL OR l.synced_version < i.push_version)
      AND ${NOT_QUEUED('invoice', 'i')}
    ORDER BY i.id`

/**
 * Customers with no contact at this connection yet (`linked` 0), or edited since their contact was
 * written (`linked` 1: the contact is updated), with no push queued.
 */
export const UNSYNCED_CUSTOMERS = `SELECT c.id, l.record_id IS NOT NULL AS linked FROM customers c
    LEFT JOIN sync_links l ON l.connection_id = ?2 AND l.record_kind = 'customer' AND l.record_id = c.id
    WHERE c.tenant_id = ?1 AND (l.synced_version IS NULL OR l.synced_version < c.version)
      AND ${NOT_QUEUED('customer', 'c')}
    ORDER BY c.id`

/**
 * Payments not at the provider at their version (a removed one only when it was posted, to be
 * removed there), with no push queued, and the customers of their invoices.
 */
export const UNSYNCED_PAYMENTS = `SELECT p.id, i.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id
    LEFT JOIN sync_links l ON l.connection_id = ?2 AND l.record_kind = 'payment' AND l.record_id = p.id
    WHERE p.tenant_id = ?1 AND (l.synced_version IS NULL OR l.synced_version < p.version)
      AND (p.removed_at IS NULL OR l.record_id IS NOT NULL)
      AND ${NOT_QUEUED('payment', 'p')}
    ORDER BY p.id`

/**
 * Credit notes not at the provider at their version (a void one only when it was posted, to be
 * voided there), or sent against an invoice and not yet set against it there, with no push queued.
 */
export const UNSYNCED_CREDIT_NOTES = `SELECT c.id, c.customer_id, c.invoice_id FROM credit_notes c
    LEFT JOIN sync_links l ON l.connection_id = ?2 AND l.record_kind = 'credit_note' AND l.record_id = c.id
    WHERE c.tenant_id = ?1 AND c.status IN ('sent', 'void')
      AND (
        ((l.synced_version IS NULL OR l.synced_version < c.version) AND (c.status = 'sent' OR l.record_id IS NOT NULL))
        OR (c.status = 'sent' AND c.invoice_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM sync_allocations a WHERE a.connection_id = ?2 AND a.credit_note_id = c.id))
      )
      AND ${NOT_QUEUED('credit_note', 'c')}
    ORDER BY c.id`

/**
 * Each record of the run's kind once (an invoice run's customer jobs prepare its invoices and are
 * not counted): where its job stands, and whether it is linked without an error.
 */
export const PROGRESS = `SELECT
    count(*) AS total,
    coalesce(sum(j.state IN ('queued', 'running')), 0) AS remaining,
    coalesce(sum(j.state = 'cancelled'), 0) AS cancelled,
    coalesce(sum(j.state IN ('succeeded', 'failed') AND l.record_id IS NOT NULL AND e.record_id IS NULL), 0) AS done
  FROM jobs j JOIN job_records r ON r.job_id = j.id
  LEFT JOIN sync_links l ON l.connection_id = j.connection_id AND l.record_kind = r.record_kind AND l.record_id = r.record_id
  LEFT JOIN sync_errors e ON e.connection_id = j.connection_id AND e.record_kind = r.record_kind AND e.record_id = r.record_id
  WHERE j.run_id = ? AND r.record_kind = ?`
