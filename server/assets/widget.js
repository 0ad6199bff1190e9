// LedgerLink widget: placeholder until the Preact widget lands. It shows the embed flow working:
// the host backend mints an embed token, the widget exchanges it for a session held in memory,
// and reads who is signed in. No eval, no inline styles: it runs under a strict CSP.
;(() => {
  if (window.LedgerLink?.loaded) return
  const script = document.currentScript
  const base = script?.dataset.baseUrl || new URL(script?.src ?? location.href).origin
  const tokenUrl = script?.dataset.tokenUrl
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(
    ':host{font:14px system-ui,sans-serif;color:var(--ll-text,#1d2433)}' +
      '.box{border:1px dashed var(--ll-accent,#0b6e99);border-radius:6px;padding:.5rem .8rem}' +
      '.badge{display:inline-block;border-radius:999px;padding:.1rem .6rem;font-size:12px;background:#eceff4;color:#5d6b82}',
  )
  let status
  const loadStatus = () =>
    (status ??= (async () => {
      const minted = await fetch(tokenUrl, { method: 'POST' }).then((r) => r.json())
      const session = await fetch(`${base}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ embedToken: minted.token }),
      }).then((r) => r.json())
      return fetch(`${base}/v1/status`, { headers: { authorization: `Bearer ${session.token}` } }).then((r) =>
        r.json(),
      )
    })())
  const define = (name, render) =>
    customElements.get(name) ||
    customElements.define(
      name,
      class extends HTMLElement {
        connectedCallback() {
          const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' })
          root.adoptedStyleSheets = [sheet]
          render(root, this)
        }
      },
    )
  const el = (tag, className, text) =>
    Object.assign(document.createElement(tag), { className, textContent: text })
  define('ledgerlink-connection', (root) => {
    const box = el('div', 'box', 'LedgerLink: connecting…')
    box.setAttribute('role', 'status')
    root.replaceChildren(box)
    if (!tokenUrl) return
    loadStatus().then(
      (s) =>
        (box.textContent = `Signed in to LedgerLink as ${s.user.name} (${s.user.role}) for ${s.tenant.name}. No accounting software connected yet.`),
      () => (box.textContent = 'LedgerLink could not be reached.'),
    )
  })
  define('ledgerlink-invoice-badge', (root) => root.replaceChildren(el('span', 'badge', 'Not synced')))
  define('ledgerlink-sync-button', (root) => root.replaceChildren())
  window.LedgerLink = { loaded: true }
})()
