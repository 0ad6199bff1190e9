import {
  CreateCustomerSchema,
  CustomerIdSchema,
  CustomerSchema,
  UpdateCustomerSchema,
} from '../../../shared/api/customers.ts'
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
)
