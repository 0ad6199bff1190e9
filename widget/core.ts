// The widget's core module (dist/widget/core.js), imported by the loader (dist/widget.js): the
// badges, the page's session and status, and the definitions of the elements whose views are
// chunks of their own.
export { install } from './install.ts'
