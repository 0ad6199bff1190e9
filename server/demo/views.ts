import { html } from 'hono/html'
import type { InvoiceRecord as Invoice, InvoiceStatus } from '../../shared/api/invoices.ts'
import type { CustomerRecord as Customer } from '../../shared/api/customers.ts'

/**
 * The demo host app's own views and forms: what any invoicing product shows, with nothing of
 * LedgerLink in them. Where LedgerLink is embedded (the script tag, the elements, the token route) stays in
 * routes.ts, so that file reads as the whole host side.
 */
export const money = (amount: string, currency: string) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount as unknown as number)
export const date = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date(iso))

export const STATUS_LABEL: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  sent: 'Awaiting payment',
  paid: 'Paid',
  void: 'Void',
}

/** A sent invoice with something left to pay: it can take a payment. */
export const isOpen = (inv: Invoice) => inv.status === 'sent' && /[1-9]/.test(inv.amountDue)

export const statusPill = (inv: Invoice) => {
  const part = inv.status === 'sent' && /[1-9]/.test(inv.amountPaid)
  return html`<span class="pill ${inv.status}">${part ? 'Part paid' : STATUS_LABEL[inv.status]}</span>`
}

/** The demo's walk-through, on the first page a newcomer sees. */
export const tour = html`<aside class="tour" aria-labelledby="tour-heading">
  <h2 id="tour-heading">Try it in two minutes</h2>
  <ol>
    <li>
      In <a href="/demo/settings">Settings</a>, connect Xero, QuickBooks or Sage and map your categories to
      accounts.
    </li>
    <li>Mark a draft as sent: its badge goes from Pending to Synced.</li>
    <li>
      Open an invoice awaiting payment and mark it as paid, or record a part payment: the payment follows the
      invoice to your accounting software.
    </li>
  </ol>
</aside>`

/**
 * "Mark as sent" for a draft: on the list (`from` says where to come back to, with its filter)
 * or on the invoice's own page.
 */
export function sendForm(inv: Invoice, list?: { status: InvoiceStatus | undefined }) {
  return html`<form method="post" action="/demo/invoices/${inv.id}/send" class="inline">
    ${
      list
        ? html`<input type="hidden" name="from" value="list" />
            ${list.status ? html`<input type="hidden" name="status" value="${list.status}" />` : ''}`
        : ''
    }
    <button type="submit" class="${list ? 'small' : 'primary'}">
      Mark as sent${list ? html`<span class="sr-only"> ${inv.number}</span>` : ''}
    </button>
  </form>`
}

/** What the host does next with an invoice: send a draft, or take the whole amount due. */
export function nextStep(invoice: Invoice) {
  if (invoice.status === 'draft')
    return html`<div class="next">
      ${sendForm(invoice)}
      <p class="hint">Marking it as sent is what sends it to your accounting software, once connected.</p>
    </div>`
  if (!isOpen(invoice)) return ''
  const due = money(invoice.amountDue, invoice.currency)
  return html`<div class="next">
    <form method="post" action="/demo/invoices/${invoice.id}/mark-paid" class="inline">
      <button type="submit" class="primary">Mark as paid</button>
    </form>
    <p class="hint">Records the ${due} still due as paid today. For less, record a part payment below.</p>
  </div>`
}

/** The invoice's customer, dates, lines and totals. */
export function invoiceDetails(invoice: Invoice, customer: Customer | undefined) {
  const m = (a: string) => money(a, invoice.currency)
  const total = (label: string, amount: string, cls = '') =>
    html`<tr class="${cls}">
      <th colspan="6" scope="row">${label}</th>
      <td class="num">${m(amount)}</td>
    </tr>`
  const fact = (label: string, value: string) =>
    html`<div>
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`
  return html`<dl class="meta">
      ${fact('Customer', customer?.name ?? '')} ${fact('Issued', date(invoice.issueDate))}
      ${fact('Due', date(invoice.dueDate))} ${fact('Reference', invoice.reference ?? '—')}
    </dl>
    <table class="lines">
      <thead>
        <tr>
          <th scope="col">Description</th>
          <th scope="col">Category</th>
          <th scope="col" class="num">Qty</th>
          <th scope="col" class="num">Unit price</th>
          <th scope="col" class="num">Discount</th>
          <th scope="col">Tax</th>
          <th scope="col" class="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        ${invoice.lines.map(
          (l) =>
            html`<tr>
              <td>${l.description}</td>
              <td>${l.category}</td>
              <td class="num">${l.quantity}</td>
              <td class="num">${m(l.unitPrice)}</td>
              <td class="num">${l.discountRate ? `${l.discountRate}%` : ''}</td>
              <td>${l.taxCode ?? ''} ${l.taxRate ? `(${l.taxRate}%)` : ''}</td>
              <td class="num">${m(l.netAmount)}</td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        ${total('Subtotal', invoice.subtotal)} ${total('Tax', invoice.taxTotal)}
        ${total('Total', invoice.total, 'total')} ${total('Paid', invoice.amountPaid)}
        ${total('Due', invoice.amountDue)}
      </tfoot>
    </table>
    ${invoice.notes ? html`<p class="notes">${invoice.notes}</p>` : ''}`
}
