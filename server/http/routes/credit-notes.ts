import {
  CreateCreditNoteSchema,
  CreditNoteIdSchema,
  CreditNoteSchema,
  UpdateCreditNoteSchema,
} from '../../../shared/api/credit-notes.ts'
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
)
