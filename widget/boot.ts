// The widget script's entry (dist/widget.js): installs `window.LedgerLink` and the custom elements,
// configured from this script tag's data attributes or by `LedgerLink.init`.
import { install } from './install.ts'

install(window, document.currentScript)
