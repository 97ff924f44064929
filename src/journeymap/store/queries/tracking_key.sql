SELECT secret FROM tracking_keys ORDER BY created_at LIMIT 1
