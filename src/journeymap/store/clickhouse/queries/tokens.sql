-- Tokens whose hash starts with {prefix} ('' for all), oldest first, with when each was revoked.
SELECT t.token_hash AS token_hash, t.scope AS scope, t.name AS name, t.created_at AS created_at,
       t.expires_at AS expires_at, r.revoked_at AS revoked_at
FROM tokens AS t
LEFT JOIN (
    SELECT token_hash, min(revoked_at) AS revoked_at FROM token_revocations GROUP BY token_hash
) AS r ON r.token_hash = t.token_hash
WHERE startsWith(t.token_hash, {prefix:String})
ORDER BY t.created_at, t.token_hash
SETTINGS join_use_nulls = 1
