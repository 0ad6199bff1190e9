import { linksByPath, type RecordLinks } from '../record-links.ts'
import { QUICKBOOKS_APP } from './facts.ts'

/** Links into the QuickBooks Online web app, by the record's Id (facts.ts QUICKBOOKS_APP). */
export function quickBooksLinks(appUrl: string): RecordLinks {
  const base = appUrl.replace(/\/+$/, '')
  return linksByPath(QUICKBOOKS_APP.paths, (_auth, path) => `${base}${path}`)
}
