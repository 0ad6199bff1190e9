import {
  CreateCreditNoteSchema,
  CreditNoteIdSchema,
  CreditNoteSchema,
  UpdateCreditNoteSchema,
} from '../../../shared/api/credit-notes.ts'
import { withSyncStates } from '../../sync/sync-state.ts'
import { createRouter } from '../openapi.ts'
import { addResourceRoutes } from './resource.ts'

export const creditNotes = addResourceRoutes(
  createRouter(),
  {
    plural: 'credit-notes',
    singular: 'credit note',
    tag: 'Credit notes',
    idSchema: CreditNoteIdSchema,
    create: CreateCreditNoteSchema,
    update: UpdateCreditNoteSchema,
    item: CreditNoteSchema,
  },
  (c) => c.var.services.creditNotes,
  // A credit note's state is that of its copy at the provider: the push creates links of kind 'credit_note'.
  (c, tenantId, notes) => withSyncStates(c.var.services.db, tenantId, 'credit_note', notes),
)
