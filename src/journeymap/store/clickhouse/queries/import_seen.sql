-- Whether a file with this SHA-256 was imported before.
SELECT count() FROM imports WHERE sha256 = {sha256:String}
