-- Tokens whose hash starts with $prefix ('' for all), oldest first, with when each was revoked.
SELECT
    t.token_hash,
    t.scope,
    t.name,
    t.created_at,
    t.expires_at,
    r.revoked_at
FROM tokens AS t
LEFT JOIN (
    SELECT token_hash, min(revoked_at) AS revoked_at FROM token_revocations GROUP BY token_hash
) AS r USING (token_hash)
WHERE starts_with(t.token_hash, $prefix)
ORDER BY t.created_at, t.token_hash
