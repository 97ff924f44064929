SELECT contact_id, map_id, count(*) AS entries FROM entries GROUP BY ALL
