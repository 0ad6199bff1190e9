const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  )

export interface ConsentView {
  action: string
  params: Record<string, string>
  appName: string
  scopes: string[]
  companies: { realmId: string; name: string }[] // empty for sign-in only (openid without accounting)
  users: { sub: string; email: string }[]
}

/**
 * Intuit's consent step as a plain form: who is signing in, which company to connect, and Connect or
 * Cancel. Every control has a stable name, label and data-testid, so a browser test can drive it.
 */
export function renderConsentPage(view: ConsentView): string {
  const hidden = Object.entries(view.params)
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join('\n      ')
  const users = view.users
    .map(
      (u, i) => `<option value="${escape(u.sub)}"${i === 0 ? ' selected' : ''}>${escape(u.email)}</option>`,
    )
    .join('')
  const companies = view.companies
    .map(
      (c, i) =>
        `<label><input type="radio" name="realmId" value="${escape(c.realmId)}" data-testid="company-${escape(
          c.realmId,
        )}"${i === 0 ? ' checked' : ''}> ${escape(c.name)}</label>`,
    )
    .join('\n        ')
  const companyField = view.companies.length
    ? `<fieldset><legend>Select a company</legend>
        ${companies}
      </fieldset>`
    : ''
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Connect ${escape(view.appName)} to QuickBooks (emulator)</title></head>
  <body>
    <h1>${escape(view.appName)} wants to connect</h1>
    <p>Requested access: ${view.scopes.map(escape).join(', ')}</p>
    <form method="post" action="${escape(view.action)}" data-testid="consent-form">
      ${hidden}
      <label>Signed in as <select name="user" data-testid="user">${users}</select></label>
      ${companyField}
      <button type="submit" name="decision" value="allow" data-testid="allow">Connect</button>
      <button type="submit" name="decision" value="cancel" data-testid="cancel">Cancel</button>
    </form>
  </body>
</html>`
}

/** Intuit shows an error page, and never redirects, when the client or redirect URI is not registered. */
export function renderErrorPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Error</title></head>
<body><h1>Something went wrong</h1><p data-testid="error">${escape(message)}</p></body></html>`
}
