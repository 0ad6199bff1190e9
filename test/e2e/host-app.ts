import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { signEmbedToken } from '../../server/auth/embed-token.ts'

/**
 * A vendor's host app on an origin of its own, for tests with several users and tenants (the demo
 * signs everyone in as its one user). `/signin?tenant=…&user=…` signs this browser in with a
 * first-party cookie, as any host app does; `/settings` embeds the widget from the BFF; `/token`
 * mints the embed token for whoever the cookie says is signed in.
 */
export async function startHostApp() {
  let bff: { url: string; embedSecret: string } | null = null
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, origin)
    const who = /(?:^|; )host_user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    if (url.pathname === '/signin') {
      const value = `${url.searchParams.get('tenant')}|${url.searchParams.get('user')}`
      res.writeHead(303, { 'set-cookie': `host_user=${value}; Path=/; HttpOnly`, location: '/settings' })
      return res.end()
    }
    if (url.pathname === '/settings') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Settings</title>
        <script src="${bff!.url}/widget.js" data-token-url="/token" async></script></head>
        <body><h1>Settings</h1><ledgerlink-connection></ledgerlink-connection></body></html>`)
    }
    if (url.pathname === '/token' && req.method === 'POST' && who) {
      const [tenant, user] = decodeURIComponent(who).split('|') as [string, string]
      void signEmbedToken(bff!.embedSecret, {
        sub: user,
        tenant,
        tenant_name: `Tenant ${tenant}`,
        role: 'admin',
        name: `User ${user}`,
      }).then((token) => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        res.end(JSON.stringify({ token }))
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    /** Points the pages at the BFF (known only once it started with this origin allowed). */
    serve(to: { url: string; embedSecret: string }) {
      bff = to
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
