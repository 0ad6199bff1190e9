import { createClient, type Client, type InValue } from '@libsql/client'
import Database from 'libsql'
// Not the global one, which fake timers in tests may stop.
import { setImmediate } from 'node:timers'
import { inTransactionScope, insideTransaction, TransactionMisuse } from '../transaction-scope.ts'

/**
 * The one database interface. `file:` URLs are served by the synchronous `libsql` driver, which
 * the `db_*` benchmarks measure several times faster on a local file; remote libSQL servers
 * (`libsql://`, `http(s)://`, `ws(s)://`) are reached through `@libsql/client`. Both sit behind
 * the same promise-returning methods, so callers never know which one they have.
 */
export type SqlValue = string | number | bigint | null | Uint8Array
export type Row = Record<string, SqlValue>

export interface Queryable {
  all<T = Row>(sql: string, args?: readonly SqlValue[]): Promise<T[]>
  get<T = Row>(sql: string, args?: readonly SqlValue[]): Promise<T | undefined>
  run(sql: string, args?: readonly SqlValue[]): Promise<{ changes: number }>
}

export interface Db extends Queryable {
  readonly driver: 'libsql' | '@libsql/client'
  /** Runs `fn` in a write transaction (BEGIN IMMEDIATE), committing if it resolves. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>
  /**
   * A value that differs from any earlier one whenever a change may have been committed since:
   * by another connection or process (`PRAGMA data_version`) or by this one (its own count of
   * changed rows, and of scripts run). Read it before the data it guards, outside transactions.
   * Null when the driver cannot tell (remote servers, a client that swaps connections): then
   * nothing read may be kept. See read-cache.ts.
   */
  changeStamp(): Promise<string | null>
  /**
   * Change stamps for one request: other connections' commits are asked about once, in a read
   * taken after the first call (so after the request began; requests asking in the same turn of
   * the event loop share that one read), this connection's own writes at every call, so a request
   * always sees what it wrote itself and every commit from before it began.
   */
  requestStamps(): () => Promise<string | null>
  close(): void
}

export interface DbOptions {
  url: string
  authToken?: string | undefined
  busyTimeoutMs?: number
  /** Force a driver (benchmarks); by default the URL decides. */
  driver?: Db['driver']
}

export function openDb(options: DbOptions): Db {
  const driver = options.driver ?? (options.url.startsWith('file:') ? 'libsql' : '@libsql/client')
  return driver === 'libsql' ? openNative(options) : openClient(options)
}

export function filePathOf(url: string): string {
  return url.replace(/^file:(\/\/)?/, '')
}

const FILE_PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL', 'PRAGMA foreign_keys = ON']
/**
 * Statements that cannot change a row: counted as reads by the change stamp. Anything else
 * (a write, `UPDATE … RETURNING` read with `get`, a `WITH` that may end in one) counts as a write.
 */
const READ_ONLY = /^\s*(SELECT\b|PRAGMA\s+data_version\s*$)/i
const WRITE_WORD = /\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i
const isReadOnly = (sql: string) => READ_ONLY.test(sql) && !WRITE_WORD.test(sql)

function openNative(options: DbOptions): Db {
  const db = new Database(filePathOf(options.url), { timeout: options.busyTimeoutMs ?? 5000 })
  for (const pragma of FILE_PRAGMAS) db.exec(pragma)
  interface Stmt {
    all(...args: unknown[]): unknown[]
    get(...args: unknown[]): unknown
    run(...args: unknown[]): { changes: number }
  }
  const statements = new Map<string, { stmt: Stmt; reads: boolean }>()
  // Statements that may write, run on this connection (which PRAGMA data_version does not see).
  let writes = 0
  const prepare = (sql: string) => {
    let prepared = statements.get(sql)
    if (!prepared) {
      prepared = { stmt: db.prepare(sql), reads: isReadOnly(sql) }
      statements.set(sql, prepared)
    }
    if (!prepared.reads) writes++
    return prepared.stmt
  }
  const direct: Queryable = {
    all: <T>(sql: string, args: readonly SqlValue[] = []) =>
      Promise.resolve(prepare(sql).all(...args) as T[]),
    get: <T>(sql: string, args: readonly SqlValue[] = []) => {
      const row = prepare(sql).get(...args) as (T & { _metadata?: unknown }) | undefined
      if (row) delete row._metadata // the driver adds timing metadata to single rows
      return Promise.resolve(row as T | undefined)
    },
    run: (sql, args = []) => Promise.resolve({ changes: prepare(sql).run(...args).changes }),
  }
  // Read without waiting for an open transaction: during one, the stamp either already counts its
  // writes or is followed by them, so nothing kept is served against a change it did not see.
  // Raw mode: no row object to build on the busiest statement of all.
  const dataVersion = (db.prepare('PRAGMA data_version') as Stmt & { raw(on: boolean): Stmt }).raw(true)
  const othersVersion = () => Promise.resolve((dataVersion.get() as [number])[0])
  // One read for every request that asks before it is taken: deferred to the end of this turn of
  // the event loop (after the I/O that brought in the requests), it is taken after each of them
  // began, so it shows every commit any of them could have known of. A request asking later waits
  // for the next read. Under load, requests arrive in bursts and a burst shares a single read.
  let nextRead: Promise<number> | null = null
  const othersVersionSoon = () =>
    (nextRead ??= new Promise<number>((resolve, reject) =>
      setImmediate(() => {
        nextRead = null
        try {
          resolve((dataVersion.get() as [number])[0])
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)))
        }
      }),
    ))
  // The stamp for a data_version and the current count of writes: made again only when one of
  // them moved, so requests compare the very string they kept (at once) rather than a new one.
  let stamped = { others: Number.NaN, writes: Number.NaN, stamp: '' }
  const stampFor = (others: number) => {
    if (stamped.others !== others || stamped.writes !== writes)
      stamped = { others, writes, stamp: `${others}:${writes}` }
    return stamped.stamp
  }
  const transactional = serialiseTransactions(direct, async (fn) => {
    db.exec('BEGIN IMMEDIATE')
    try {
      const result = await fn(direct)
      db.exec('COMMIT')
      return result
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw err
    }
  })
  return {
    driver: 'libsql',
    ...transactional,
    exec: (sql) => {
      writes++
      return Promise.resolve(void db.exec(sql))
    },
    // One connection for the life of the Db: its data_version moves with every other connection's
    // commit, and `writes` with each of its own statements that could change anything.
    changeStamp: async () => stampFor(await othersVersion()),
    requestStamps: () => {
      let others: Promise<number> | undefined
      return async () => stampFor(await (others ??= othersVersionSoon()))
    },
    close: () => db.close(),
  }
}

/**
 * Both drivers serve a local file through a synchronous native connection, so a statement that
 * waits on the file lock blocks the event loop until the busy timeout. Within one process,
 * therefore, transactions take turns (a queue of promises: two that start in the same tick must
 * not both BEGIN), and while one is open every other caller's statement waits for it to end
 * instead of running inside it; across processes the busy timeout does the waiting.
 */
function serialiseTransactions(
  direct: Queryable,
  runTransaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
): Queryable & Pick<Db, 'transaction'> {
  let tail: Promise<void> = Promise.resolve()
  let open: Promise<void> | null = null
  // Each statement checks `open` again right before it runs, in the same microtask: after an
  // await, another caller's transaction may have begun, and the statement would run inside it.
  const endOfOpen = (): Promise<void> => {
    // A statement on the database (not on `tx`) from inside the open transaction would wait for it forever.
    if (insideTransaction()) throw new TransactionMisuse('A statement outside the transaction ran')
    return open!
  }
  return {
    all: async (sql, args) => {
      while (open) await endOfOpen()
      return direct.all(sql, args)
    },
    get: async (sql, args) => {
      while (open) await endOfOpen()
      return direct.get(sql, args)
    },
    run: async (sql, args) => {
      while (open) await endOfOpen()
      return direct.run(sql, args)
    },
    async transaction(fn) {
      // The inner one would wait for the outer one to end: refuse instead of hanging.
      if (insideTransaction()) throw new TransactionMisuse('A transaction opened')
      const turn = tail
      let release!: () => void
      const done = new Promise<void>((resolve) => (release = resolve))
      tail = turn.then(() => done)
      await turn
      open = done
      try {
        return await inTransactionScope(() => runTransaction(fn))
      } finally {
        open = null
        release()
      }
    },
  }
}

function openClient(options: DbOptions): Db {
  const isFile = options.url.startsWith('file:')
  const client: Client = createClient({
    url: options.url,
    authToken: options.authToken,
    ...(isFile ? { timeout: options.busyTimeoutMs ?? 5000 } : {}),
  })
  const ready = isFile ? client.executeMultiple(FILE_PRAGMAS.join(';')) : Promise.resolve()
  type Exec = (stmt: { sql: string; args: InValue[] }) => Promise<{ rows: unknown[]; rowsAffected: number }>
  const on = (exec: Exec): Queryable => ({
    all: async <T>(sql: string, args: readonly SqlValue[] = []) => {
      await ready
      const rs = await exec({ sql, args: args as InValue[] })
      return rs.rows.map((r) => ({ ...(r as object) })) as T[]
    },
    get: async <T>(sql: string, args: readonly SqlValue[] = []) => {
      await ready
      const rs = await exec({ sql, args: args as InValue[] })
      const row = rs.rows[0]
      return (row ? { ...row } : undefined) as T | undefined
    },
    run: async (sql: string, args: readonly SqlValue[] = []) => {
      await ready
      const rs = await exec({ sql, args: args as InValue[] })
      return { changes: rs.rowsAffected }
    },
  })
  const runTransaction = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    await ready
    const tx = await client.transaction('write')
    try {
      const result = await fn(on((stmt) => tx.execute(stmt)))
      await tx.commit()
      return result
    } catch (err) {
      await tx.rollback().catch(() => undefined)
      throw err
    } finally {
      tx.close()
    }
  }
  const direct = on((stmt) => client.execute(stmt))
  return {
    driver: '@libsql/client',
    ...(isFile
      ? serialiseTransactions(direct, runTransaction)
      : {
          ...direct,
          transaction: <T>(fn: (tx: Queryable) => Promise<T>) => {
            if (insideTransaction()) throw new TransactionMisuse('A transaction opened')
            return inTransactionScope(() => runTransaction(fn))
          },
        }),
    exec: async (sql) => {
      await ready
      await client.executeMultiple(sql)
    },
    // A transaction takes the client's connection and a new one is opened after it, so neither
    // counter here would only grow: this driver never lets a read be kept.
    changeStamp: () => Promise.resolve(null),
    requestStamps: () => () => Promise.resolve(null),
    close: () => client.close(),
  }
}
