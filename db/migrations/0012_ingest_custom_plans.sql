-- The ingest's duplicate check (`events WHERE workspace_id = $1 AND external_id = $2`) is planned anew on every
-- call, with the values it checks and the table's current size. A cached generic plan, made while events was
-- still small (a new database, a server started early), could pick events_workspace_received_idx (0007) and
-- filter the whole workspace's events by external_id: a cost per event that grows with the table (4.6 ms a call
-- at 20,000 events, 0.38 ms a call on average over a 10 s end-to-end benchmark), instead of one probe of the
-- unique index (0.02 ms). A custom plan sees the unique index match both columns and always takes it.
ALTER FUNCTION "leadhook_store_events"(uuid, jsonb) SET plan_cache_mode = force_custom_plan;
