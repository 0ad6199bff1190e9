import type { ApiKey } from '../auth/api-keys.ts'
import type { AnswerHeaders } from './answer-headers.ts'
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
    /** The headers every answer to this request carries (answer-headers.ts). */
    answer?: AnswerHeaders
    session?: SessionUser
    apiKey?: ApiKey
  }
}
