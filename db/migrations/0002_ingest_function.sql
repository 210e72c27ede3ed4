-- Stores validated events in one round trip: checks every process belongs to the workspace, then stores
-- each new event with the lead it updates (merged in order, under the lead's row lock) and its activity.
-- Runs inside the caller's statement, so a batch is stored whole or not at all.
-- Returns {"accepted": [{"id", "externalId"}], "duplicates": [...]} or
-- {"error": "not_found", "index": n, "processId": "..."}. A concurrent request storing the same event id
-- makes this raise serialization_failure (40001): the caller retries and then sees a duplicate.
CREATE FUNCTION "leadhook_store_events"(p_workspace_id uuid, p_events jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_missing record;
  v_event jsonb;
  v_lead jsonb;
  v_row leads%ROWTYPE;
  v_event_id uuid;
  v_accepted jsonb := '[]'::jsonb;
  v_duplicates jsonb := '[]'::jsonb;
BEGIN
  SELECT x.ord - 1 AS index, x.e->>'processId' AS process_id INTO v_missing
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
    WHERE NOT EXISTS (
      SELECT 1 FROM processes p
      WHERE p.id = (x.e->>'processId')::uuid AND p.workspace_id = p_workspace_id)
    ORDER BY x.ord LIMIT 1;
  IF FOUND THEN
    RETURN jsonb_build_object('error', 'not_found', 'index', v_missing.index, 'processId', v_missing.process_id);
  END IF;

  -- With several leads, take their row locks in one fixed order first, so two batches touching the
  -- same leads queue behind each other instead of deadlocking.
  IF jsonb_array_length(p_events) > 1 THEN
    INSERT INTO leads (process_id, external_id)
      SELECT DISTINCT (e->>'processId')::uuid, e->'lead'->>'id' FROM jsonb_array_elements(p_events) e
      WHERE NOT EXISTS (
        SELECT 1 FROM events WHERE workspace_id = p_workspace_id AND external_id = e->>'id')
      ORDER BY 1, 2
      ON CONFLICT (process_id, external_id) DO NOTHING;
    PERFORM 1 FROM leads l
      JOIN (SELECT DISTINCT (e->>'processId')::uuid AS process_id, e->'lead'->>'id' AS external_id
            FROM jsonb_array_elements(p_events) e) k
        ON l.process_id = k.process_id AND l.external_id = k.external_id
      ORDER BY l.process_id, l.external_id
      FOR UPDATE OF l;
  END IF;

  FOR v_event IN SELECT e FROM jsonb_array_elements(p_events) e LOOP
    -- Already stored (earlier, or earlier in this batch): a duplicate that changes nothing.
    IF EXISTS (SELECT 1 FROM events WHERE workspace_id = p_workspace_id AND external_id = v_event->>'id') THEN
      v_duplicates := v_duplicates || to_jsonb(v_event->>'id');
      CONTINUE;
    END IF;
    v_lead := v_event->'lead';
    INSERT INTO leads AS l (process_id, external_id, name, phone, email, status, disposition, attributes, sequence)
      VALUES ((v_event->>'processId')::uuid, v_lead->>'id', v_lead->>'name', v_lead->>'phone', v_lead->>'email',
        v_lead->>'status', v_lead->>'disposition', coalesce(v_lead->'attributes', '{}'::jsonb), 1)
      ON CONFLICT (process_id, external_id) DO UPDATE SET
        name = coalesce(excluded.name, l.name), phone = coalesce(excluded.phone, l.phone),
        email = coalesce(excluded.email, l.email), status = coalesce(excluded.status, l.status),
        disposition = coalesce(excluded.disposition, l.disposition),
        attributes = l.attributes || excluded.attributes, sequence = l.sequence + 1, updated_at = now()
      RETURNING * INTO v_row;
    INSERT INTO events (workspace_id, process_id, external_id, type, occurred_at, payload,
        lead_id, lead_sequence, lead_snapshot)
      VALUES (p_workspace_id, v_row.process_id, v_event->>'id', v_event->>'type',
        (v_event->>'occurredAt')::timestamptz, v_event, v_row.id, v_row.sequence,
        jsonb_build_object('id', v_row.external_id, 'name', v_row.name, 'phone', v_row.phone,
          'email', v_row.email, 'status', v_row.status, 'disposition', v_row.disposition,
          'attributes', v_row.attributes, 'sequence', v_row.sequence))
      ON CONFLICT (workspace_id, external_id) DO NOTHING
      RETURNING id INTO v_event_id;
    IF v_event_id IS NULL THEN
      RAISE EXCEPTION 'event % was stored by a concurrent request', v_event->>'id'
        USING ERRCODE = 'serialization_failure';
    END IF;
    IF v_event ? 'activity' AND jsonb_typeof(v_event->'activity') = 'object' THEN
      INSERT INTO lead_activities (lead_id, event_id, activity, occurred_at)
        VALUES (v_row.id, v_event_id, v_event->'activity', (v_event->>'occurredAt')::timestamptz);
    END IF;
    v_accepted := v_accepted || jsonb_build_object('id', v_event_id, 'externalId', v_event->>'id');
  END LOOP;
  RETURN jsonb_build_object('accepted', v_accepted, 'duplicates', v_duplicates);
END;
$$;
--> statement-breakpoint
-- The ingest route's one round trip: the key (by its SHA-256) authenticates, then its workspace's events
-- are stored as above. Returns {"error": "unauthorized"} for an unknown or revoked key.
CREATE FUNCTION "leadhook_ingest"(p_key_hash text, p_events jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_key record;
BEGIN
  SELECT id, workspace_id, last_used_at INTO v_key
    FROM api_keys WHERE key_hash = p_key_hash AND revoked_at IS NULL;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('error', 'unauthorized');
  END IF;
  -- Last use is advisory: at most one write a minute per key.
  IF v_key.last_used_at IS NULL OR v_key.last_used_at < now() - interval '60 seconds' THEN
    UPDATE api_keys SET last_used_at = now() WHERE id = v_key.id;
  END IF;
  RETURN leadhook_store_events(v_key.workspace_id, p_events);
END;
$$;
