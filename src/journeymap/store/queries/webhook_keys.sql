-- The webhook signing secrets, newest first (the two a signature may use).
SELECT secret, created_at FROM webhook_keys ORDER BY created_at DESC, secret LIMIT 2
