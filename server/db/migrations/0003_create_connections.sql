-- One row per (tenant, provider, organisation), kept after a disconnect so that history, mappings
-- and links survive and a reconnect to the same organisation finds them again.
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  organisation_name TEXT NOT NULL,
  provider_meta TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'expired', 'revoked', 'error', 'disconnected')),
  connected_by_id TEXT NOT NULL,
  connected_by_name TEXT NOT NULL,
  connected_at INTEGER NOT NULL,
  disconnected_at INTEGER,
  last_sync_at INTEGER,
  last_error TEXT,
  last_checked_at INTEGER,
  -- Tokens sealed with AES-256-GCM (server/crypto/token-cipher.ts); NULL once disconnected.
  access_token TEXT,
  refresh_token TEXT,
  access_expires_at INTEGER,
  refresh_expires_at INTEGER,
  hard_expires_at INTEGER,
  token_version INTEGER NOT NULL DEFAULT 0,
  refreshed_at INTEGER,
  -- The refresh lease: one refresher per connection across every process.
  lease_owner TEXT,
  lease_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, provider, organisation_id)
);
-- A tenant has at most one connection that is not disconnected.
CREATE UNIQUE INDEX connections_one_per_tenant ON connections (tenant_id) WHERE status <> 'disconnected';

-- A consent in progress: state (hashed) and PKCE verifier (sealed), bound to the session that
-- started it and to the browser by a cookie; single use, minutes of life.
CREATE TABLE oauth_attempts (
  id TEXT PRIMARY KEY,
  state_hash TEXT NOT NULL UNIQUE,
  code_challenge TEXT NOT NULL,
  binding_hash TEXT,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('popup', 'redirect')),
  return_to TEXT,
  opener_origin TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  begun_at INTEGER,
  used_at INTEGER,
  -- After a consent that covered several organisations: the sealed tokens wait for the user's pick.
  pending_tokens TEXT,
  pending_grant TEXT,
  pending_organisations TEXT,
  chosen_at INTEGER
);
CREATE INDEX oauth_attempts_tenant ON oauth_attempts (tenant_id, created_at);
