-- Work that is no tenant's (keep-alive refreshes, the connection-check scan, the sweep of expired
-- rows) runs as jobs, and jobs.tenant_id must name a tenant. This reserved row is that scope: its
-- id starts with `_`, which a host's tenant id never may (shared/api/common.ts), so no host can
-- create, read or collide with it.
INSERT OR IGNORE INTO tenants (id, name, created_at, updated_at) VALUES ('_installation', 'This installation', 0, 0);
-- "Is a job of this key queued or running?" is how the periodic jobs and the connection checks stay
-- one per scope; the unique index only covers queued ones.
CREATE INDEX jobs_dedupe ON jobs (dedupe_key, state) WHERE dedupe_key IS NOT NULL;
-- The Disconnect URL names a company, not a tenant: finding its connections is a lookup of its own.
CREATE INDEX connections_organisation ON connections (provider, organisation_id);
