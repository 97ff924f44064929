-- How many transitions of the block follow a connector.
SELECT count(connector_id) FROM _jm_block
