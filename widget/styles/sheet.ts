/**
 * The widget's core stylesheet, shared by every shadow root (constructable, so it needs no inline
 * <style> and passes a strict `style-src`): the theme, buttons, pills and the badge: what a page
 * of badges needs, and no more. The lazy parts add parts-sheet.ts and their own sheet. Hosts theme it only
 * through `--ll-*` custom properties; `all: initial` on the host keeps the page's inherited fonts
 * and colours out.
 *
 * --ll-font, --ll-font-size, --ll-text, --ll-muted, --ll-bg, --ll-subtle, --ll-border, --ll-accent,
 * --ll-accent-text, --ll-success, --ll-warning, --ll-danger, --ll-focus, --ll-radius
 */
import { makeSheet } from './make-sheet.ts'

export const CSS = `
:host{all:initial;display:block}
:host([hidden]){display:none}
.panel,.badge,.frame{
--t:var(--ll-text,#1d2433);--m:var(--ll-muted,#5d6b82);--bg:var(--ll-bg,#fff);--sub:var(--ll-subtle,#f5f7fa);
--b:var(--ll-border,#d8dee8);--a:var(--ll-accent,#0b6e99);--at:var(--ll-accent-text,#fff);
--ok:var(--ll-success,#1a7f4b);--warn:var(--ll-warning,#8a5a00);--bad:var(--ll-danger,#b42318);
--f:var(--ll-focus,#2563eb);--r:var(--ll-radius,10px);--c:var(--m);
font:400 var(--ll-font-size,14px)/1.5 var(--ll-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
color:var(--t);box-sizing:border-box}
.panel{background:var(--bg);border:1px solid var(--b);border-radius:var(--r);padding:1.25em;max-width:36em;outline:none}
*,*::before,*::after{box-sizing:inherit}
p{margin:0 0 .5em}
.muted{color:var(--m)}
.busy{display:flex;align-items:center;gap:.6em}
.spinner{width:1em;height:1em;border-radius:50%;border:2px solid var(--b);border-top-color:var(--a);
animation:spin .8s linear infinite;flex:none}
@keyframes spin{to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){.spinner{animation-duration:3s}}
button{font:inherit;font-weight:600;border-radius:calc(var(--r) - 4px);padding:.55em 1em;cursor:pointer;
border:1px solid var(--b);background:var(--bg);color:var(--t);min-height:2.5em}
button:hover:not(:disabled){background:var(--sub)}
button:focus-visible,input:focus-visible,select:focus-visible,a:focus-visible{outline:2px solid var(--f);outline-offset:2px}
button:disabled{opacity:.55;cursor:not-allowed}
.primary{background:var(--a);border-color:var(--a);color:var(--at)}
.primary:hover:not(:disabled){background:var(--a);filter:brightness(.92)}
.quiet{border-color:transparent;background:none}
a{color:var(--a);text-underline-offset:2px}
.pill{display:inline-flex;align-items:center;gap:.4em;white-space:nowrap;font-size:.85em;font-weight:600;
border-radius:999px;padding:.2em .7em;background:var(--sub);border:1px solid var(--b);color:var(--c);min-height:0}
.pill::before{content:"";width:.55em;height:.55em;border-radius:50%;background:currentColor}
.ok{--c:var(--ok)}.warn{--c:var(--warn)}.bad{--c:var(--bad)}.info{--c:var(--a)}
.ref{color:var(--m);font-size:.9em}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.95em;overflow-wrap:anywhere}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.badge{display:inline-flex;flex-direction:column;align-items:flex-start;gap:.35em;max-width:100%}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:.4em}
.badge button:not(.pill){min-height:2em;padding:.25em .7em;font-size:.9em}
.badge .note{max-width:28em;font-size:.9em;border-inline-start:3px solid var(--b);padding-inline-start:.6em;overflow-wrap:anywhere}
.badge .note.bad{border-inline-start-color:var(--bad)}
.badge .note p:last-child{margin-bottom:0}
`

let shared: CSSStyleSheet | null = null

/** The core stylesheet, made on first use and adopted by every shadow root. */
export const styleSheet = (): CSSStyleSheet => (shared ??= makeSheet(CSS))
