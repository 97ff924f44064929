SELECT count() FROM ingested_events WHERE event_id = {event_id:String}
