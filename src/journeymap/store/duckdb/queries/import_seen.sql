SELECT count(*) FROM imports WHERE sha256 = $sha256
