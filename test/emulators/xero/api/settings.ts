import { Hono } from 'hono'
import { renderAccount, renderOrganisation, renderTaxRate } from '../domain/render.ts'
import type { ApiEnv } from './env.ts'
import { notFound } from './errors.ts'
import { listRecords } from './list.ts'
import { collection } from './respond.ts'

/** Read-only settings: /Accounts, /TaxRates, /Currencies, /Organisation. */
export function settingsRoutes() {
  const app = new Hono<ApiEnv>()

  app.get('/Accounts', (c) => {
    const listed = listRecords(c, c.var.org.accounts, {
      updatedAt: (r) => r.UpdatedDateUTC,
      view: (r) => ({ ...r }),
      pageable: false,
    })
    return listed instanceof Response ? listed : collection(c, 'Accounts', listed.items.map(renderAccount))
  })

  app.get('/Accounts/:id', (c) => {
    const account = c.var.org.accounts.find((a) => a.AccountID === c.req.param('id'))
    return account ? collection(c, 'Accounts', [renderAccount(account)]) : notFound(c)
  })

  app.get('/TaxRates', (c) => {
    // TaxRates carry no UpdatedDateUTC and the spec gives them no If-Modified-Since.
    const listed = listRecords(c, c.var.org.taxRates, {
      updatedAt: () => Infinity,
      view: (r) => ({ ...r }),
      pageable: false,
    })
    return listed instanceof Response ? listed : collection(c, 'TaxRates', listed.items.map(renderTaxRate))
  })

  app.get('/Currencies', (c) => {
    const listed = listRecords(c, c.var.org.currencies, {
      updatedAt: () => Infinity,
      view: (r) => ({ ...r }),
      pageable: false,
    })
    return listed instanceof Response ? listed : collection(c, 'Currencies', listed.items)
  })

  app.get('/Organisation', (c) => collection(c, 'Organisations', [renderOrganisation(c.var.org)]))

  return app
}
