/** The consent page's HTML: organisation choice, Allow and Cancel, as Xero's own page offers. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.25rem}fieldset{border:1px solid #ddd;border-radius:6px}label{display:block;padding:.35rem 0}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}button{padding:.6rem 1.2rem;border-radius:4px;border:1px solid #13b5ea}
button[value=allow]{background:#13b5ea;color:#fff}.error{color:#b00020}`

export function renderConsentPage(p: {
  requestId: string
  appName: string
  userEmail: string
  scopes: string[]
  organisations: { id: string; name: string }[]
  error?: string
}): string {
  const orgs = p.organisations
    .map(
      (o, i) =>
        `<label><input type="checkbox" name="tenant" value="${escapeHtml(o.id)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(o.name)}</label>`,
    )
    .join('\n')
  const scopes = p.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Xero | Authorise app</title>
<style>${STYLE}</style></head><body><main>
<h1>${escapeHtml(p.appName)} wants to access your Xero organisation</h1>
<p>Signed in as ${escapeHtml(p.userEmail)}</p>
${p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : ''}
<form method="post" action="/identity/connect/authorize/decision">
<input type="hidden" name="request" value="${escapeHtml(p.requestId)}">
<fieldset><legend>Organisations</legend>
${orgs}
</fieldset>
<p>This app will be able to:</p><ul>${scopes}</ul>
<div class="actions"><button type="submit" name="decision" value="allow">Allow access</button>
<button type="submit" name="decision" value="cancel">Cancel</button></div>
</form></main></body></html>`
}

export function renderErrorPage(error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Xero | Error</title>
<style>${STYLE}</style></head><body><main><h1>Error: ${escapeHtml(error)}</h1>
<p class="error" role="alert">${escapeHtml(description)}</p></main></body></html>`
}
