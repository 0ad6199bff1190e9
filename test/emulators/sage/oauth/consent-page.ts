/** The consent screen: pick who signs in and the country, then Allow or Cancel. Plain HTML a browser test can drive. */
export interface ConsentView {
  requestId: string
  clientId: string
  scope: string
  /** null when the authorize request already named a country (Sage then skips the country screen). */
  countries: string[] | null
  users: { id: string; name: string; email: string; businesses: string[] }[]
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

export function renderConsentPage(view: ConsentView): string {
  const users = view.users
    .map(
      (u, i) => `
      <label class="user">
        <input type="radio" name="user" value="${escapeHtml(u.id)}"${i === 0 ? ' checked' : ''}>
        <strong>${escapeHtml(u.name)}</strong> (${escapeHtml(u.email)})
        <span>Businesses: ${u.businesses.map(escapeHtml).join(', ')}</span>
      </label>`,
    )
    .join('')
  const country = view.countries
    ? `<label for="country">Country or region</label>
      <select id="country" name="country">${view.countries
        .map((c) => `<option value="${c}"${c === 'gb' ? ' selected' : ''}>${c.toUpperCase()}</option>`)
        .join('')}</select>`
    : ''
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sage Accounting - Authorise app</title></head>
<body>
  <main>
    <h1>Sage Accounting (emulator)</h1>
    <p>The app <strong>${escapeHtml(view.clientId)}</strong> asks for <strong>${escapeHtml(view.scope)}</strong> access
      to every business of the account you sign in with.</p>
    <form method="post">
      <input type="hidden" name="request" value="${escapeHtml(view.requestId)}">
      <fieldset><legend>Sign in as</legend>${users}</fieldset>
      ${country}
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="cancel">Cancel</button>
    </form>
  </main>
</body>
</html>`
}

export function renderErrorPage(error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sage Accounting - ${escapeHtml(error)}</title></head>
<body><h1>${escapeHtml(error)}</h1><p>${escapeHtml(description)}</p></body></html>`
}
