import {
  DEFAULT_SYNC_SETTINGS,
  type PatchSyncSettings,
  type Switch,
  type SyncSettings,
} from '../../shared/settings.ts'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { kindName, type RecordKind } from '../records/kinds.ts'

interface SettingsRow {
  sync_enabled: number
  invoices_enabled: number
  credit_notes_enabled: number
  payments_enabled: number
  customers_enabled: number
  auto_sync_on_send: number
  history_days: number
  updated_at: number
  updated_by: string | null
}

const COLUMN: Record<Switch, keyof SettingsRow> = {
  syncEnabled: 'sync_enabled',
  invoices: 'invoices_enabled',
  creditNotes: 'credit_notes_enabled',
  payments: 'payments_enabled',
  customers: 'customers_enabled',
  autoSyncOnSend: 'auto_sync_on_send',
}

/** The switch of each kind of record, and the job kinds that push it. */
export const KIND_SWITCH: Record<RecordKind, Switch> = {
  invoice: 'invoices',
  customer: 'customers',
  credit_note: 'creditNotes',
  payment: 'payments',
}

const DEFAULTS = DEFAULT_SYNC_SETTINGS

/** A tenant's sync switches (shared/settings.ts), read inside any transaction that queues work. */
export async function readSettings(q: Queryable, tenantId: string): Promise<SyncSettings> {
  const row = await q.get<SettingsRow>('SELECT * FROM tenant_settings WHERE tenant_id = ?', [tenantId])
  if (!row) return DEFAULTS
  return {
    syncEnabled: row.sync_enabled === 1,
    invoices: row.invoices_enabled === 1,
    creditNotes: row.credit_notes_enabled === 1,
    payments: row.payments_enabled === 1,
    customers: row.customers_enabled === 1,
    autoSyncOnSend: row.auto_sync_on_send === 1,
    historyDays: row.history_days,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  }
}

/** Whether records of this kind may be pushed now; the reason in the bookkeeper's words if not. */
export function refusal(settings: SyncSettings, kind: RecordKind): string | null {
  if (!settings.syncEnabled) return 'Sync is turned off for this account.'
  if (!settings[KIND_SWITCH[kind]]) return `${kindName(kind)} sync is turned off for this account.`
  return null
}

/** Refuses with `sync_disabled` when records of this kind may not be pushed now. */
export async function assertSyncOn(q: Queryable, tenantId: string, kind: RecordKind) {
  const why = refusal(await readSettings(q, tenantId), kind)
  if (why) throw new AppError('sync_disabled', { message: why })
}

/**
 * Changes some switches. Work held while a switch was off (queued, waiting) is released at once
 * when it comes back on: `released` is called with the job kinds let go, after the commit.
 */
export function createSyncSettings(deps: {
  db: Db
  now: () => number
  /** Job kinds that push each record kind. */
  jobKinds: Partial<Record<RecordKind, string>>
  released: () => void
}) {
  const { db, now } = deps
  return {
    read: (tenantId: string) => readSettings(db, tenantId),

    async update(tenantId: string, patch: PatchSyncSettings, by: string): Promise<SyncSettings> {
      const after = await db.transaction(async (tx) => {
        const before = await readSettings(tx, tenantId)
        const next = { ...before, ...patch }
        const at = now()
        const values = [
          ...(Object.entries(COLUMN) as [Switch, keyof SettingsRow][]).map(
            ([s, column]) => [column, next[s] ? 1 : 0] as const,
          ),
          ['history_days', next.historyDays] as const,
        ]
        await tx.run(
          `INSERT INTO tenant_settings (tenant_id, ${values.map(([c]) => c).join(', ')}, updated_at, updated_by)
           VALUES (?, ${values.map(() => '?').join(', ')}, ?, ?)
           ON CONFLICT (tenant_id) DO UPDATE SET ${values.map(([c]) => `${c} = excluded.${c}`).join(', ')},
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [tenantId, ...values.map(([, v]) => v), at, by],
        )
        const settled = { ...next, updatedAt: new Date(at).toISOString(), updatedBy: by }
        // Held work of every kind that may run now and could not before runs now.
        const freed = (Object.keys(KIND_SWITCH) as RecordKind[]).filter(
          (kind) => refusal(settled, kind) === null && refusal(before, kind) !== null,
        )
        const kinds = freed.map((k) => deps.jobKinds[k]).filter((k): k is string => k !== undefined)
        if (kinds.length > 0)
          await tx.run(
            `UPDATE jobs SET run_at = ? WHERE tenant_id = ? AND state = 'queued' AND run_at > ?
               AND json_extract(last_error, '$.code') = 'sync_disabled' AND kind IN (${kinds.map(() => '?').join(', ')})`,
            [at, tenantId, at, ...kinds],
          )
        return { settled, released: kinds.length > 0 }
      })
      if (after.released) deps.released()
      return after.settled
    },
  }
}

export type SyncSettingsService = ReturnType<typeof createSyncSettings>
