import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Marks the code running inside a database transaction. Within one process every other caller
 * waits while a transaction is open (server/db/client.ts), so a transaction that awaited a provider
 * would freeze HTTP for as long as the provider takes. The database module marks its transactions;
 * the provider registry refuses any adapter call made inside one, so the rule cannot be broken by
 * accident: read, commit, then call out (and write what came back in a transaction of its own).
 */
const scope = new AsyncLocalStorage<true>()

export function inTransactionScope<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run(true, fn)
}

export function insideTransaction(): boolean {
  return scope.getStore() === true
}

export class TransactionMisuse extends Error {
  constructor(what: string) {
    super(`${what} inside a database transaction: commit first, then call out`)
    this.name = 'TransactionMisuse'
  }
}
