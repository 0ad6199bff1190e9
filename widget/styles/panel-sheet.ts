import { makeSheet } from './make-sheet.ts'

/**
 * The connection panel's own styles, on top of the core sheet (styles/sheet.ts) and the parts'
 * (parts-sheet.ts), from its chunk: the card, the dialogs, and the settings and mapping editor
 * shown inside it (their chunk renders in the panel's shadow root).
 */
export const PANEL_CSS = `
.lead{font-weight:600;font-size:1.07em;margin-bottom:.75em;padding:0}
.solid{background:var(--bad)!important;border-color:var(--bad);color:#fff}
.link{margin-top:.75em}
.end{justify-content:flex-end}
.list{list-style:none;margin:.75em 0;padding:0;display:grid;gap:.5em}
.providers button{width:100%;display:flex;justify-content:space-between;text-align:start}
.chevron{color:var(--m)}
.head,.top{display:flex;justify-content:space-between;align-items:flex-start;flex-wrap:wrap;gap:.5em 1em}
.head{margin-bottom:.75em}
.head p{margin:0}
.head .muted{font-size:.9em}
.org{font-weight:650;font-size:1.15em}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(12em,1fr));gap:.75em;margin:.75em 0 0}
.facts div,.map{background:var(--sub);border-radius:calc(var(--r) - 4px);padding:.6em .8em}
dt{color:var(--m);font-size:.85em}
dd{margin:0;font-weight:500}
fieldset{border:0;margin:0;padding:0}
.options{display:grid;gap:.5em;margin:.75em 0}
.option{display:flex;align-items:center;gap:.6em;border:1px solid var(--b);border-radius:calc(var(--r) - 4px);
padding:.65em .8em;cursor:pointer}
.option:has(:checked){border-color:var(--a);box-shadow:0 0 0 1px var(--a)}
[type=radio],[type=checkbox]{accent-color:var(--a);margin:0;width:1.1em;height:1.1em}
.field-error,.problem{color:var(--bad);font-weight:600}
.backdrop{position:fixed;inset:0;background:rgb(15 23 42/.45);display:grid;place-items:center;padding:1em;z-index:2147483000}
.dialog{background:var(--bg);border-radius:var(--r);padding:1.5em;max-width:28em;width:100%;box-shadow:0 20px 50px rgb(15 23 42/.3);outline:none}
h2{font-size:1.2em;margin:0 0 .5em}
.sections{margin-top:1em;border-top:1px solid var(--b)}
h3{margin:0;font-size:1em;border-bottom:1px solid var(--b)}
h3 button{width:100%;display:flex;justify-content:space-between;border:0;border-radius:0;background:none;padding:.75em 0}
h3 button::after{content:"▸";color:var(--m)}
h3 [aria-expanded=true]::after{content:"▾"}
.section{padding:.75em 0 1em}
.switch{display:flex;align-items:center;gap:.6em;font-weight:600;cursor:pointer}
.switches p{margin:0 0 0 1.7em}
.days{margin-top:1em}
.days label{font-weight:600}
.row{gap:.5em;margin:.25em 0}
[type=number]{width:7em}
[type=search]{flex:1 1 9em}
select{flex:2 1 14em;min-width:0}
[aria-invalid=true]{border-color:var(--bad)}
h4{margin:1.25em 0 .25em;font-size:1em}
.key,.org,.map p{overflow-wrap:anywhere}
.key{font-weight:600}
.map p{margin:.25em 0 0}
.summary{font-weight:600;border-inline-start:4px solid var(--c);padding-inline-start:.6em}
.save{align-items:center}
.save p{margin:0}
`

let sheet: CSSStyleSheet | null = null
export const panelSheet = () => (sheet ??= makeSheet(PANEL_CSS))
