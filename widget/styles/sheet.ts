/**
 * The widget's one stylesheet, shared by every shadow root (constructable, so it needs no inline
 * <style> and passes a strict `style-src`). Hosts theme it only through `--ll-*` custom properties;
 * `all: initial` on the host keeps the page's inherited fonts and colours out.
 *
 * --ll-font, --ll-font-size, --ll-text, --ll-muted, --ll-bg, --ll-subtle, --ll-border, --ll-accent,
 * --ll-accent-text, --ll-success, --ll-warning, --ll-danger, --ll-focus, --ll-radius
 */
export const CSS = `
:host{all:initial;display:block}
:host([hidden]){display:none}
.panel{
--t:var(--ll-text,#1d2433);--m:var(--ll-muted,#5d6b82);--bg:var(--ll-bg,#fff);--sub:var(--ll-subtle,#f5f7fa);
--b:var(--ll-border,#d8dee8);--a:var(--ll-accent,#0b6e99);--at:var(--ll-accent-text,#fff);
--ok:var(--ll-success,#1a7f4b);--warn:var(--ll-warning,#8a5a00);--bad:var(--ll-danger,#b42318);
--f:var(--ll-focus,#2563eb);--r:var(--ll-radius,10px);
font:400 var(--ll-font-size,14px)/1.5 var(--ll-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
color:var(--t);background:var(--bg);border:1px solid var(--b);border-radius:var(--r);padding:1.25em;
box-sizing:border-box;max-width:36em;outline:none}
*,*::before,*::after{box-sizing:inherit}
p{margin:0 0 .5em}
.lead{font-weight:600;font-size:1.07em;margin-bottom:.75em;padding:0}
.muted{color:var(--m)}
.small{font-size:.9em}
.busy{display:flex;align-items:center;gap:.6em}
.spinner{width:1em;height:1em;border-radius:50%;border:2px solid var(--b);border-top-color:var(--a);
animation:spin .8s linear infinite;flex:none}
@keyframes spin{to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){.spinner{animation-duration:3s}}
button{font:inherit;font-weight:600;border-radius:calc(var(--r) - 4px);padding:.55em 1em;cursor:pointer;
border:1px solid var(--b);background:var(--bg);color:var(--t);min-height:2.5em}
button:hover:not(:disabled){background:var(--sub)}
button:focus-visible,input:focus-visible{outline:2px solid var(--f);outline-offset:2px}
button:disabled{opacity:.55;cursor:not-allowed}
.primary{background:var(--a);border-color:var(--a);color:var(--at)}
.primary:hover:not(:disabled){background:var(--a);filter:brightness(.92)}
.danger{color:var(--bad);border-color:currentColor}
.danger.solid{background:var(--bad);border-color:var(--bad);color:#fff}
.danger.solid:hover:not(:disabled){background:var(--bad);filter:brightness(.92)}
.quiet{border-color:transparent;background:none}
.link{border:0;background:none;color:var(--a);padding:.25em 0;min-height:0;font-weight:500;
text-decoration:underline;text-underline-offset:2px;margin-top:.75em}
.link:hover:not(:disabled){background:none}
.actions{display:flex;flex-wrap:wrap;gap:.5em;margin-top:.75em}
.actions.end{justify-content:flex-end}
.providers{list-style:none;margin:.75em 0;padding:0;display:grid;gap:.5em}
.provider{width:100%;display:flex;justify-content:space-between;align-items:center;text-align:start}
.chevron{color:var(--m)}
.card-head{display:flex;justify-content:space-between;align-items:flex-start;gap:1em;margin-bottom:.75em}
.provider-name{color:var(--m);font-size:.9em;margin:0}
.org{font-weight:650;font-size:1.15em;margin:0;overflow-wrap:anywhere}
.pill{display:inline-flex;align-items:center;gap:.4em;white-space:nowrap;font-size:.85em;font-weight:600;
border-radius:999px;padding:.2em .7em;background:var(--sub);border:1px solid var(--b)}
.pill::before{content:"";width:.55em;height:.55em;border-radius:50%;background:currentColor}
.pill.ok{color:var(--ok)}.pill.warn{color:var(--warn)}.pill.bad{color:var(--bad)}
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
.ref{color:var(--m);font-size:.9em}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.95em;overflow-wrap:anywhere}
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
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`

let shared: CSSStyleSheet | null = null

/** The one stylesheet, made on first use and adopted by every shadow root. */
export function styleSheet(): CSSStyleSheet {
  if (!shared) {
    shared = new CSSStyleSheet()
    shared.replaceSync(CSS)
  }
  return shared
}
