// The OAuth callback page's only script (a file, so the page's CSP needs no inline script): tell
// the widget in the opener how the consent ended, to the opener's origin only, then close.
;(() => {
  const script = document.currentScript
  const message = JSON.parse(script.dataset.message)
  if (window.opener) {
    window.opener.postMessage(message, script.dataset.origin)
    window.close()
  }
})()
