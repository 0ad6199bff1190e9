import type { Services } from './services.ts'

/**
 * Removes what has expired (sessions, spent embed-token ids, idempotency answers) every few minutes,
 * and every minute starts the connection checks that provider-side notices asked for once their
 * interval allows (a cheap indexed read when there are none).
 */
export function startMaintenance(services: Services, everyMs = 10 * 60_000, checksEveryMs = 60_000) {
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
  const checkRequested = async () => {
    try {
      await services.connections.checks.runRequested()
    } catch (err) {
      services.log.warn('requested connection checks failed', { err })
    }
  }
  const timers = [
    setInterval(() => void sweep(), everyMs),
    setInterval(() => void checkRequested(), checksEveryMs),
  ]
  for (const timer of timers) timer.unref()
  return { sweep, checkRequested, stop: () => timers.forEach((timer) => clearInterval(timer)) }
}
