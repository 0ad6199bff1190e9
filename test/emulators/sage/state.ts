import type { Clock } from '../common/clock.ts'
import type { Grants, OAuthClient } from './oauth/grants.ts'
import type { Business, User } from './types.ts'

/** Everything one emulator instance holds in memory; routes and control share it. */
export interface SageState {
  clock: Clock
  clients: OAuthClient[]
  users: User[]
  businesses: Map<string, Business>
  grants: Grants
}

export function findClient(state: SageState, clientId: string | undefined): OAuthClient | undefined {
  return state.clients.find((c) => c.clientId === clientId)
}
