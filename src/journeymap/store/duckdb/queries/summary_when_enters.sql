-- How many transitions of the block enter a map.
SELECT count(*) FROM _jm_block WHERE kind = 'enter'
