SELECT scope FROM tokens WHERE token_hash = $token_hash
