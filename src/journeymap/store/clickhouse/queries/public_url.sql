-- The base URL of tracking links set last (by `journeymap serve` or the library).
SELECT url FROM public_urls ORDER BY set_at DESC, _block_number DESC, _block_offset DESC LIMIT 1
