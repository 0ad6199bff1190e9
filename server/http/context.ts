import type { ApiKey } from '../auth/api-keys.ts'
import type { SessionUser } from '../auth/sessions.ts'
import type { Logger } from '../logging/logger.ts'
import type { Services } from '../services.ts'

/** What every handler finds on the context: the services, the request id and who is calling. */
export interface AppEnv {
  Variables: {
    services: Services
    requestId: string
    /** This request's change stamps for kept reads (Db.requestStamps). */
    stamp: () => Promise<string | null>
    log: Logger
    session?: SessionUser
    apiKey?: ApiKey
  }
}
