import type { Db, Queryable } from '../db/client.ts'
import { randomSecret } from '../ids.ts'
import { DEFAULT_TIMEOUT_MS } from '../providers/provider-http.ts'
import type { RateLimits } from '../providers/provider.ts'

/**
 * Per-organisation rate limits, counted in the database so every process shares them, and kept
 * before the provider has to say 429. Sliding windows are exact (one row per call, counted in the
 * window), because a token bucket sized to the same rolling limit lets up to twice the limit
 * through in a window at its edges. Calls in flight hold a permit that expires unless its process
 * keeps renewing it, so a process killed mid-call frees its slots within seconds. A 429 pauses only
 * that organisation, for at least its Retry-After.
 *
 * The provider counts a call when it arrives, which we cannot see: later than we took room for it
 * (a loaded machine, a token read, a slow network). So a call's rows count as late as it could
 * still arrive: while in flight at its permit's expiry (moved on with each renewal), once answered
 * at its answer's time. A process killed mid-call leaves them at the last moment it could have
 * sent, never earlier than the provider saw the call (a row left at the moment room was taken let
 * the window free that place early, and a minute's 61st call through at the provider's edge).
 */
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
/**
 * How long a permit of a call in flight lasts without a renewal: its process renews it every third
 * of this while the call runs, so a killed process's permits free the organisation's concurrent
 * slots this soon (Xero has five: a worker killed in a crash loop would otherwise stall it).
 */
const PERMIT_MS = 5_000
/**
 * Renewals stop after a token refresh and the call, each bounded by the HTTP deadline: a permit
 * that was never released (a bug) lasts no longer than that.
 */
const PERMIT_MAX_MS = 2 * DEFAULT_TIMEOUT_MS + 5_000

export interface Permit {
  id: string
  release(): Promise<void>
}

export type Acquired = { ok: true; permit: Permit } | { ok: false; waitMs: number; reason: string }

interface Window {
  ms: number
  limit: number
  bucket: string
  name: string
}

/**
 * `timeScale` shrinks every window (the benchmarks and tests run a provider's minute in a second
 * with 1/60); production leaves it at 1.
 */
export function createRateLimiter(deps: {
  db: Db
  now: () => number
  permitMs?: number
  timeScale?: number
}) {
  const { db, now } = deps
  const scale = deps.timeScale ?? 1
  const permitMs = deps.permitMs ?? PERMIT_MS
  const minute = MINUTE * scale
  const day = DAY * scale

  function windows(key: string, limits: RateLimits, batch: boolean): Window[] {
    const list: Window[] = [{ ms: minute, limit: limits.perMinute, bucket: key, name: 'minute' }]
    if (limits.perDay !== null) list.push({ ms: day, limit: limits.perDay, bucket: key, name: 'day' })
    if (batch && limits.batchesPerMinute !== null)
      list.push({ ms: minute, limit: limits.batchesPerMinute, bucket: `${key}#batch`, name: 'batch minute' })
    return list
  }

  /** When the window has room for `cost` more calls: 0 if now. */
  async function windowWait(tx: Queryable, w: Window, cost: number, at: number): Promise<number> {
    const since = at - w.ms
    const row = await tx.get<{ n: number }>(
      'SELECT count(*) AS n FROM rate_calls WHERE bucket = ? AND at > ?',
      [w.bucket, since],
    )
    const over = row!.n + cost - w.limit
    if (over <= 0) return 0
    if (cost > w.limit) return w.ms // never fits: the caller must split the work
    // The call that must age out of the window before `cost` more fit.
    const oldest = await tx.get<{ at: number }>(
      'SELECT at FROM rate_calls WHERE bucket = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?',
      [w.bucket, since, over - 1],
    )
    return Math.max(1, oldest!.at + w.ms - at + 1)
  }

  /** The permit's calls take their answer's time (every answer of its operation has come). */
  const answered = (id: string) =>
    db.run('UPDATE rate_calls SET at = ?, permit = NULL WHERE permit = ?', [now(), id]).then(() => undefined)

  /**
   * A permit renewed every third of its life until released or `PERMIT_MAX_MS` old; its calls'
   * rows move on with it, so they count as late as the call could still be sent.
   */
  function heldPermit(id: string, at: number): Permit {
    const renew = setInterval(
      () => {
        if (now() + permitMs > at + PERMIT_MAX_MS) return clearInterval(renew)
        const until = now() + permitMs
        Promise.all([
          db.run('UPDATE rate_calls SET at = max(at, ?) WHERE permit = ?', [until, id]),
          db.run('UPDATE rate_permits SET expires_at = ? WHERE id = ?', [until, id]),
        ]).catch(
          () => undefined, // a missed renewal only frees the slot early; the provider's 429 still guards
        )
      },
      Math.max(10, Math.floor(permitMs / 3)),
    )
    renew.unref()
    return {
      id,
      release: async () => {
        clearInterval(renew)
        await answered(id)
        await db.run('DELETE FROM rate_permits WHERE id = ?', [id])
      },
    }
  }

  return {
    /** Real milliseconds per provider millisecond (1 in production; 1/60 plays a minute in a second). */
    timeScale: scale,
    /**
     * Takes room for one request carrying `cost` metered calls (a QuickBooks batch item counts as a
     * call) and a permit for it to be in flight, or says how long to wait. One write transaction,
     * so two processes never both take the last slot.
     */
    async acquire(
      key: string,
      limits: RateLimits,
      /**
       * `holding`: the permit of the operation this further request belongs to: windows only, and
       * its calls are that permit's (stamped when it is released).
       */
      options: {
        cost?: number
        batch?: boolean
        holding?: Permit
        /**
         * Background work (the polling backstop) takes room only while the windows and the
         * in-flight slots are used at most this much (0.5: half), so it never starves a push.
         */
        share?: number
      } = {},
    ): Promise<Acquired> {
      const cost = options.cost ?? 1
      const share = options.share ?? 1
      const list = windows(key, limits, options.batch ?? false).map((w) =>
        share === 1 ? w : { ...w, limit: Math.max(1, Math.floor(w.limit * share)) },
      )
      const concurrent = share === 1 ? limits.concurrent : Math.max(1, Math.floor(limits.concurrent * share))
      const taken = await db.transaction(async (tx) => {
        const at = now()
        const pause = await tx.get<{ until: number; reason: string | null }>(
          'SELECT until, reason FROM rate_pauses WHERE bucket = ? AND until > ?',
          [key, at],
        )
        if (pause) return { ok: false as const, waitMs: pause.until - at, reason: pause.reason ?? 'paused' }
        const inFlight = await tx.get<{ n: number }>(
          'SELECT count(*) AS n FROM rate_permits WHERE bucket = ? AND expires_at > ?',
          [key, at],
        )
        if (!options.holding && inFlight!.n >= concurrent)
          return { ok: false as const, waitMs: 0, reason: 'concurrent' }
        for (const w of list) {
          const wait = await windowWait(tx, w, w.bucket === key ? cost : 1, at)
          if (wait > 0) return { ok: false as const, waitMs: wait, reason: w.name }
        }
        // One row per metered call in each bucket (the minute and day windows count the same
        // rows), counted until its answer as late as its permit lives.
        const id = options.holding?.id ?? randomSecret(10)
        const until = at + permitMs
        for (const bucket of new Set(list.map((w) => w.bucket)))
          for (let i = 0; i < (bucket === key ? cost : 1); i++)
            await tx.run('INSERT INTO rate_calls (bucket, at, permit) VALUES (?, ?, ?)', [bucket, until, id])
        if (!options.holding)
          await tx.run('INSERT INTO rate_permits (id, bucket, expires_at) VALUES (?, ?, ?)', [id, key, until])
        return { ok: true as const, id, at }
      })
      if (!taken.ok) return taken
      if (options.holding) return { ok: true, permit: options.holding }
      // Renewed from outside the transaction: a timer started inside it would run its statements in
      // the transaction's scope, where each would be refused while another transaction is open.
      return { ok: true, permit: heldPermit(taken.id, taken.at) }
    },

    /** The provider said 429: nothing more goes to this organisation until `untilMs`. */
    async pause(key: string, untilMs: number, reason: string) {
      await db.run(
        `INSERT INTO rate_pauses (bucket, until, reason) VALUES (?, ?, ?)
         ON CONFLICT (bucket) DO UPDATE SET until = max(until, excluded.until), reason = excluded.reason`,
        [key, untilMs, reason],
      )
    },

    /** Drops what no window can count any more and permits that expired. */
    async prune() {
      const at = now()
      await db.run('DELETE FROM rate_calls WHERE at <= ?', [at - day])
      await db.run('DELETE FROM rate_permits WHERE expires_at <= ?', [at])
      await db.run('DELETE FROM rate_pauses WHERE until <= ?', [at])
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>
