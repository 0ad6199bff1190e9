import { Hono } from 'hono'
import type { SageState } from '../state.ts'
import { createArtefactRoutes } from './artefacts.ts'
import { createContactRoutes } from './contacts.ts'
import type { ApiEnv } from './env.ts'
import { createGuard } from './guard.ts'
import { createReferenceRoutes } from './reference.ts'
import { createSettlementRoutes } from './settlements.ts'
import type { createThrottle } from './throttle.ts'

/** The Accounting API, mounted at /v3.1: guard, per-business throttle, then one sub-app per resource. */
export function createApiApp(state: SageState, throttle: ReturnType<typeof createThrottle>) {
  const api = new Hono<ApiEnv>()
  api.use('*', createGuard(state))
  api.use('*', throttle.middleware)
  api.route('/', createReferenceRoutes(state))
  api.route('/', createContactRoutes(state))
  api.route('/', createArtefactRoutes(state, 'sales_invoice'))
  api.route('/', createArtefactRoutes(state, 'sales_credit_note'))
  api.route('/', createSettlementRoutes(state, 'contact_payment'))
  api.route('/', createSettlementRoutes(state, 'contact_allocation'))
  return api
}
