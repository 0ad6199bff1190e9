import {
  CreateCustomerSchema,
  CustomerIdSchema,
  CustomerSchema,
  UpdateCustomerSchema,
} from '../../../shared/api/customers.ts'
import { withSyncStates } from '../../sync/sync-state.ts'
import { createRouter } from '../openapi.ts'
import { addResourceRoutes } from './resource.ts'

export const customers = addResourceRoutes(
  createRouter(),
  {
    plural: 'customers',
    singular: 'customer',
    tag: 'Customers',
    idSchema: CustomerIdSchema,
    create: CreateCustomerSchema,
    update: UpdateCustomerSchema,
    item: CustomerSchema,
  },
  (c) => c.var.services.customers,
  // A customer's state is that of its contact: the push creates links of kind 'customer'.
  (c, tenantId, customers) => withSyncStates(c.var.services.db, tenantId, 'customer', customers),
)
