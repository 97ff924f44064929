-- The base URL of tracking links set last (by `journeymap serve` or the library).
SELECT url FROM public_urls ORDER BY set_at DESC, rowid DESC LIMIT 1
