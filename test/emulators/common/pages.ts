import { html, page } from './html.ts'

/**
 * The pages every emulator's web app shows, as views its records are turned into: a document (an
 * invoice or credit note), a contact, and the books. Amounts come formatted (html.ts `money`).
 */
export interface Linked {
  text: string
  href: string | null
}
const link = (l: Linked) => (l.href ? html`<a href="${l.href}">${l.text}</a>` : html`${l.text}`)

/** An invoice or credit note as a bookkeeper sees it in the provider's app; amounts formatted. */
export interface DocumentView {
  kind: 'Invoice' | 'Credit note'
  organisation: string
  number: string
  status: string
  contact: Linked
  /** [label, value]: the date, the due date, the reference… */
  facts: [string, string][]
  lines: { description: string; quantity: string; unitPrice: string; tax: string; amount: string }[]
  /** [label, amount]: subtotal, tax, total, then paid and due (or what credit is left). */
  totals: [string, string][]
  payments: { date: string; reference: string; amount: string }[]
  /** Credit notes set against an invoice, or the invoices a credit note is set against. */
  allocations: { date: string; document: Linked; amount: string }[]
}

export function documentPage(provider: string, v: DocumentView): Response {
  const other = v.kind === 'Invoice' ? 'Credit note' : 'Invoice'
  const body = html`<p class="muted">${v.organisation}</p>
    <h1>${v.kind} ${v.number}</h1>
    <p>Status: <span class="status">${v.status}</span></p>
    <dl>
      <dt>Contact</dt>
      <dd>${link(v.contact)}</dd>
      ${v.facts.map(
        ([k, x]) =>
          html`<dt>${k}</dt>
            <dd>${x}</dd>`,
      )}
    </dl>
    <h2>Lines</h2>
    <table>
      <thead>
        <tr>
          <th>Description</th>
          <th class="n">Quantity</th>
          <th class="n">Unit price</th>
          <th class="n">Tax</th>
          <th class="n">Amount</th>
        </tr>
      </thead>
      <tbody>
        ${v.lines.map(
          (l) =>
            html`<tr>
              <td>${l.description}</td>
              <td class="n">${l.quantity}</td>
              <td class="n">${l.unitPrice}</td>
              <td class="n">${l.tax}</td>
              <td class="n">${l.amount}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Totals</h2>
    <table>
      <tbody>
        ${v.totals.map(
          ([k, x]) =>
            html`<tr>
              <th>${k}</th>
              <td class="n">${x}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Payments</h2>
    ${
      v.payments.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Date</th>
                <th>Reference</th>
                <th class="n">Amount</th>
              </tr>
            </thead>
            <tbody>
              ${v.payments.map(
                (p) =>
                  html`<tr>
                    <td>${p.date}</td>
                    <td>${p.reference}</td>
                    <td class="n">${p.amount}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h2>${v.kind === 'Invoice' ? 'Credit allocations' : 'Allocated to invoices'}</h2>
    ${
      v.allocations.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Date</th>
                <th>${other}</th>
                <th class="n">Amount</th>
              </tr>
            </thead>
            <tbody>
              ${v.allocations.map(
                (a) =>
                  html`<tr>
                    <td>${a.date}</td>
                    <td>${link(a.document)}</td>
                    <td class="n">${a.amount}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`
  return page(provider, `${v.kind} ${v.number}`, body)
}

/** One row of a list of invoices. */
export interface InvoiceRow {
  number: Linked
  contact: string
  date: string
  total: string
  due: string
  status: string
}

const invoiceTable = (rows: InvoiceRow[]) =>
  rows.length === 0
    ? html`<p class="muted">No invoices yet.</p>`
    : html`<table>
        <thead>
          <tr>
            <th>Number</th>
            <th>Contact</th>
            <th>Date</th>
            <th class="n">Total</th>
            <th class="n">Due</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td>${link(r.number)}</td>
                <td>${r.contact}</td>
                <td>${r.date}</td>
                <td class="n">${r.total}</td>
                <td class="n">${r.due}</td>
                <td>${r.status}</td>
              </tr>`,
          )}
        </tbody>
      </table>`

/** A contact (customer) with its invoices. */
export interface ContactView {
  organisation: string
  name: string
  facts: [string, string][]
  invoices: InvoiceRow[]
}

export function contactPage(provider: string, v: ContactView): Response {
  const body = html`<p class="muted">${v.organisation}</p>
    <h1>${v.name}</h1>
    <dl>
      ${v.facts.map(
        ([k, x]) =>
          html`<dt>${k}</dt>
            <dd>${x}</dd>`,
      )}
    </dl>
    <h2>Invoices</h2>
    ${invoiceTable(v.invoices)}`
  return page(provider, v.name, body)
}

/** Every organisation the emulator holds, each with its invoices, newest first. */
export interface BooksView {
  organisations: { name: string; note: string; invoices: InvoiceRow[] }[]
}

export function booksPage(provider: string, v: BooksView): Response {
  const body = html`<h1>Books</h1>
    <p class="muted">
      The invoices each ${provider} organisation holds, newest first. A synced record's "Open in ${provider}"
      link opens its page here.
    </p>
    ${v.organisations.map(
      (o) =>
        html`<h2>${o.name}</h2>
          <p class="muted">${o.note}</p>
          ${invoiceTable(o.invoices)}`,
    )}`
  return page(provider, 'Books', body)
}
