// dist/widget.js: the one script tag a host adds. See boot.ts.
import { boot, type CoreModule } from './boot.ts'

void boot(window, document.currentScript, (url) => import(/* @vite-ignore */ url) as Promise<CoreModule>)
