-- What only one provider needs now travels as one opaque value, `meta`, that only its adapter reads
-- (STYLE.md, A provider adapter). connections.provider_meta already held just that value (Xero's
-- {"connectionId": …}; nothing for QuickBooks, whose realm is the organisation id), so connections
-- need nothing. A consent still open at the upgrade kept Xero's connection id beside each offered
-- organisation and the grant's fields at the top: both move under `meta`, so its pick still connects.
UPDATE oauth_attempts SET pending_organisations = (
  SELECT json_group_array(
    CASE WHEN json_type(o.value, '$.connectionId') IS NULL THEN json(o.value)
    ELSE json_object(
      'id', json_extract(o.value, '$.id'),
      'name', json_extract(o.value, '$.name'),
      'meta', json_object('connectionId', json_extract(o.value, '$.connectionId')))
    END)
  FROM json_each(oauth_attempts.pending_organisations) o)
WHERE pending_organisations IS NOT NULL AND json_valid(pending_organisations)
  AND EXISTS (SELECT 1 FROM json_each(oauth_attempts.pending_organisations) o WHERE json_type(o.value, '$.connectionId') IS NOT NULL);
UPDATE oauth_attempts SET pending_grant = json_object('meta', json(pending_grant))
WHERE pending_grant IS NOT NULL AND json_valid(pending_grant) AND pending_grant <> '{}'
  AND json_type(pending_grant, '$.meta') IS NULL;
