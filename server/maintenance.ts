import type { Services } from './services.ts'

/** Removes what has expired (sessions, spent embed-token ids, idempotency answers) every few minutes. */
export function startMaintenance(services: Services, everyMs = 10 * 60_000) {
  const sweep = async () => {
    try {
      const removed = {
        sessions: await services.sessions.deleteExpired(),
        embedTokens: await services.embedTokens.deleteExpired(),
        idempotencyKeys: await services.idempotency.deleteExpired(),
        oauthAttempts: await services.attempts.deleteExpired(),
        keptAlive: await services.connections.tokens.keepAlive(),
      }
      services.log.debug('maintenance sweep', removed)
    } catch (err) {
      services.log.warn('maintenance sweep failed', { err })
    }
  }
  const timer = setInterval(() => void sweep(), everyMs)
  timer.unref()
  return { sweep, stop: () => clearInterval(timer) }
}
