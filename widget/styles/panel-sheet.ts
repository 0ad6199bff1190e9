import { makeSheet } from './make-sheet.ts'

/** The connection panel's own styles, on top of the core sheet (styles/sheet.ts), from its chunk. */
export const PANEL_CSS = `
.lead{font-weight:600;font-size:1.07em;margin-bottom:.75em;padding:0}
.danger.solid{background:var(--bad);border-color:var(--bad);color:#fff}
.danger.solid:hover:not(:disabled){background:var(--bad);filter:brightness(.92)}
.link{margin-top:.75em}
.actions.end{justify-content:flex-end}
.providers{list-style:none;margin:.75em 0;padding:0;display:grid;gap:.5em}
.provider{width:100%;display:flex;justify-content:space-between;align-items:center;text-align:start}
.chevron{color:var(--m)}
.card-head{display:flex;justify-content:space-between;align-items:flex-start;gap:1em;margin-bottom:.75em}
.provider-name{color:var(--m);font-size:.9em;margin:0}
.org{font-weight:650;font-size:1.15em;margin:0;overflow-wrap:anywhere}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(12em,1fr));gap:.75em;margin:.75em 0 0}
.facts div{background:var(--sub);border-radius:calc(var(--r) - 4px);padding:.6em .8em}
dt{color:var(--m);font-size:.85em}
dd{margin:0;font-weight:500}
.alert{border-radius:calc(var(--r) - 4px);padding:.75em 1em;margin:0 0 .75em;border:1px solid var(--b);
border-inline-start:4px solid var(--m);background:var(--sub)}
.alert p:last-child{margin-bottom:0}
.alert.warn{border-inline-start-color:var(--warn)}
.alert.bad{border-inline-start-color:var(--bad)}
.alert.info{border-inline-start-color:var(--a)}
.alert .actions{margin-top:.5em}
.alert-title{font-weight:600}
.alert .fields{margin:.25em 0 .5em;padding-inline-start:1.25em}
fieldset{border:0;margin:0;padding:0}
.options{display:grid;gap:.5em;margin:.75em 0}
.option{display:flex;align-items:center;gap:.6em;border:1px solid var(--b);border-radius:calc(var(--r) - 4px);
padding:.65em .8em;cursor:pointer}
.option:has(input:checked){border-color:var(--a);box-shadow:0 0 0 1px var(--a)}
.option input{accent-color:var(--a);margin:0;width:1.1em;height:1.1em}
.field-error{color:var(--bad);font-weight:600}
.backdrop{position:fixed;inset:0;background:rgb(15 23 42/.45);display:grid;place-items:center;padding:1em;z-index:2147483000}
.dialog{background:var(--bg);color:var(--t);border-radius:var(--r);padding:1.5em;max-width:28em;width:100%;
box-shadow:0 20px 50px rgb(15 23 42/.3);outline:none}
.dialog-title{font-size:1.2em;margin:0 0 .5em;font-weight:650}
.sections{margin-top:1em;border-top:1px solid var(--b)}
.section-head{margin:0;font-size:1em;border-bottom:1px solid var(--b)}
.section-toggle{width:100%;display:flex;justify-content:space-between;border:0;border-radius:0;background:none;padding:.75em 0}
.section-toggle::after{content:"▸";color:var(--m)}
.section-toggle[aria-expanded=true]::after{content:"▾"}
.section{padding:.75em 0 1em}
`

let sheet: CSSStyleSheet | null = null
export const panelSheet = () => (sheet ??= makeSheet(PANEL_CSS))
