import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import { createTenantsRepo } from '../db/repos/tenants.ts'
import { createUsersRepo } from '../db/repos/users.ts'
import type { EmbedTokens } from './embed-token.ts'
import type { LoginThrottle } from './login-throttle.ts'
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts'
import type { Sessions } from './sessions.ts'

/**
 * The three ways in: an embed token from the host backend, a sign-up and a password sign-in
 * (extension users). Each ends in a session.
 */
export function createIdentity(deps: {
  db: Db
  sessions: Sessions
  embedTokens: EmbedTokens
  throttle: LoginThrottle
  now?: () => number
}) {
  const { db, sessions } = deps
  const now = deps.now ?? Date.now

  return {
    /** The host is the authority: the tenant and user are created or updated from the claims. */
    async exchangeEmbedToken(token: string) {
      const claims = await deps.embedTokens.redeem(token)
      const user = await db.transaction(async (tx) => {
        await createTenantsRepo(tx, now).upsert(claims.tenant, claims.tenant_name)
        return createUsersRepo(tx, now).upsertExternal({
          tenantId: claims.tenant,
          externalId: claims.sub,
          name: claims.name,
          role: claims.role,
          email: claims.email,
        })
      })
      return sessions.create({ tenantId: user.tenantId, userId: user.id, kind: 'embed' })
    },

    /** An extension user gets a tenant of their own, as its admin. */
    async signUp(input: {
      email: string
      password: string
      name: string
      organisation: string
      address: string
    }) {
      await deps.throttle.signUp(input.address) // before the hash, so concurrent sign-ups count
      const passwordHash = await hashPassword(input.password)
      const user = await db.transaction(async (tx) => {
        const users = createUsersRepo(tx, now)
        if (await users.findByEmailWithPassword(input.email))
          throw new AppError('conflict', {
            message: 'An account with this email address already exists.',
            details: [{ path: 'email', message: 'Already registered' }],
          })
        const tenantId = newId('ten', now())
        await createTenantsRepo(tx, now).upsert(tenantId, input.organisation)
        return users.createWithPassword({
          tenantId,
          email: input.email,
          name: input.name,
          role: 'admin',
          passwordHash,
        })
      })
      return sessions.create({ tenantId: user.tenantId, userId: user.id, kind: 'password' })
    },

    async signIn(input: { email: string; password: string; address: string }) {
      // Reserved before verifying, so concurrent guesses count; a failure keeps the reservation.
      const attempt = await deps.throttle.signIn(input.email, input.address)
      const user = await createUsersRepo(db, now).findByEmailWithPassword(input.email)
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password)
      if (!user || !ok) throw new AppError('invalid_credentials')
      await attempt.succeeded()
      return sessions.create({ tenantId: user.tenantId, userId: user.id, kind: 'password' })
    },
  }
}

export type Identity = ReturnType<typeof createIdentity>
