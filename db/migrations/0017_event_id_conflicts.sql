-- An event id names one event: sent again with the same body it stays a harmless duplicate (202), but with
-- another body it is refused, with its batch (409, as Stripe answers a reused idempotency key). Bodies are
-- compared as jsonb (key order and number spelling do not matter); the route stores the parsed event, so
-- two requests with the same content compare equal. leadhook_check_same_event raises SQLSTATE LH002 with
-- DETAIL the event id; the ingest route names the event. The rest of leadhook_store_events is 0013's.
CREATE FUNCTION "leadhook_check_same_event"(p_event jsonb, p_stored jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_stored IS DISTINCT FROM p_event THEN
    RAISE EXCEPTION 'event % was received before with another body', p_event->>'id'
      USING ERRCODE = 'LH002', DETAIL = jsonb_build_object('eventId', p_event->>'id')::text;
  END IF;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "leadhook_store_events"(p_workspace_id uuid, p_events jsonb) RETURNS jsonb
LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  v_missing record;
  v_single jsonb;
  v_multi jsonb;
  v_count int;
  v_accepted jsonb;
  v_event jsonb;
  v_event_id uuid;
  v_over jsonb;
  v_stored jsonb;
  v_clash record;
BEGIN
  -- One event (the common request): the same steps as below without the batch bookkeeping.
  IF jsonb_array_length(p_events) = 1 THEN
    v_event := p_events->0;
    PERFORM 1 FROM processes WHERE id = (v_event->>'processId')::uuid AND workspace_id = p_workspace_id;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('error', 'not_found', 'index', 0, 'processId', v_event->>'processId');
    END IF;
    SELECT payload INTO v_stored FROM events WHERE workspace_id = p_workspace_id AND external_id = v_event->>'id';
    IF FOUND THEN
      PERFORM leadhook_check_same_event(v_event, v_stored);
      RETURN jsonb_build_object('accepted', '{}'::jsonb);
    END IF;
    v_event_id := leadhook_store_event(p_workspace_id, v_event);
    RETURN jsonb_build_object('accepted', jsonb_build_object(v_event->>'id', v_event_id));
  END IF;

  SELECT x.ord - 1 AS index, x.e->>'processId' AS process_id INTO v_missing
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
    WHERE NOT EXISTS (
      SELECT 1 FROM processes p
      WHERE p.id = (x.e->>'processId')::uuid AND p.workspace_id = p_workspace_id)
    ORDER BY x.ord LIMIT 1;
  IF FOUND THEN
    RETURN jsonb_build_object('error', 'not_found', 'index', v_missing.index, 'processId', v_missing.process_id);
  END IF;

  -- An id already stored, or earlier in this batch, with another body: the first such event refuses the batch.
  SELECT x.e AS event, coalesce(ev.payload, y.e) AS stored INTO v_clash
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
    LEFT JOIN events ev ON ev.workspace_id = p_workspace_id AND ev.external_id = x.e->>'id'
    LEFT JOIN LATERAL (
      SELECT y.e FROM jsonb_array_elements(p_events) WITH ORDINALITY AS y(e, ord)
      WHERE y.ord < x.ord AND y.e->>'id' = x.e->>'id' AND y.e <> x.e LIMIT 1) y ON true
    WHERE ev.payload <> x.e OR y.e IS NOT NULL
    ORDER BY x.ord LIMIT 1;
  IF FOUND THEN
    PERFORM leadhook_check_same_event(v_clash.event, v_clash.stored);
  END IF;

  -- New events (first occurrence, not stored yet), split by whether their lead has other new events.
  WITH input AS (
    SELECT x.ord, x.e, x.e->>'id' AS ext, (x.e->>'processId')::uuid AS pid, x.e->'lead'->>'id' AS lid
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
  ), fresh AS (
    SELECT DISTINCT ON (ext) * FROM input i
    WHERE NOT EXISTS (
      SELECT 1 FROM events ev WHERE ev.workspace_id = p_workspace_id AND ev.external_id = i.ext)
    ORDER BY ext, ord
  ), counted AS (
    SELECT *, count(*) OVER (PARTITION BY pid, lid) AS n FROM fresh
  )
  -- Leads in one fixed order, so batches touching the same leads queue instead of deadlocking.
  SELECT coalesce(jsonb_agg(e ORDER BY pid, lid) FILTER (WHERE n = 1), '[]'::jsonb),
         coalesce(jsonb_agg(e ORDER BY ord) FILTER (WHERE n > 1), '[]'::jsonb)
    INTO v_single, v_multi FROM counted;
  v_accepted := '{}'::jsonb;

  IF jsonb_array_length(v_single) > 0 THEN
    WITH input AS (
      SELECT x.ord, x.e, x.e->>'id' AS ext, (x.e->>'processId')::uuid AS pid, x.e->'lead' AS lead,
        x.e->'lead'->>'id' AS lid, CASE WHEN jsonb_typeof(x.e->'activity') = 'object' THEN x.e->'activity' END AS activity
      FROM jsonb_array_elements(v_single) WITH ORDINALITY AS x(e, ord)
    ), merged AS (
      INSERT INTO leads AS l (process_id, external_id, name, phone, email, status, disposition, attributes, sequence)
        SELECT pid, lid, lead->>'name', lead->>'phone', lead->>'email', lead->>'status',
          lead->>'disposition', coalesce(lead->'attributes', '{}'::jsonb), 1
        FROM input ORDER BY ord
        ON CONFLICT (process_id, external_id) DO UPDATE SET
          name = coalesce(excluded.name, l.name), phone = coalesce(excluded.phone, l.phone),
          email = coalesce(excluded.email, l.email), status = coalesce(excluded.status, l.status),
          disposition = coalesce(excluded.disposition, l.disposition),
          attributes = l.attributes || excluded.attributes, sequence = l.sequence + 1, updated_at = now()
        RETURNING *
    ), stored AS (
      INSERT INTO events (workspace_id, process_id, external_id, type, occurred_at, payload,
          lead_id, lead_sequence, lead_snapshot)
        SELECT p_workspace_id, i.pid, i.ext, i.e->>'type', (i.e->>'occurredAt')::timestamptz, i.e,
          m.id, m.sequence,
          jsonb_build_object('id', m.external_id, 'name', m.name, 'phone', m.phone, 'email', m.email,
            'status', m.status, 'disposition', m.disposition, 'attributes', m.attributes, 'sequence', m.sequence)
        FROM input i JOIN merged m ON m.process_id = i.pid AND m.external_id = i.lid
        ORDER BY i.ord
        ON CONFLICT (workspace_id, external_id) DO NOTHING
        RETURNING id, external_id, lead_id, occurred_at
    ), over AS (
      SELECT i.ext, m.attributes FROM merged m JOIN input i ON m.process_id = i.pid AND m.external_id = i.lid
      WHERE octet_length(m.attributes::text) > 65536 OR (SELECT count(*) FROM jsonb_object_keys(m.attributes)) > 200
      ORDER BY i.ord LIMIT 1
    ), activities AS (
      INSERT INTO lead_activities (lead_id, event_id, activity, occurred_at)
        SELECT s.lead_id, s.id, i.activity, s.occurred_at
        FROM stored s JOIN input i ON i.ext = s.external_id
        WHERE i.activity IS NOT NULL
    )
    SELECT count(*), coalesce(jsonb_object_agg(external_id, id), '{}'::jsonb),
        (SELECT jsonb_build_object('id', ext, 'attributes', attributes) FROM over)
      INTO v_count, v_accepted, v_over FROM stored;
    IF v_over IS NOT NULL THEN
      PERFORM leadhook_check_lead_attributes(v_over->>'id', v_over->'attributes');
    END IF;
    IF v_count < jsonb_array_length(v_single) THEN
      RAISE EXCEPTION 'an event of this batch was stored by a concurrent request'
        USING ERRCODE = 'serialization_failure';
    END IF;
  END IF;

  IF jsonb_array_length(v_multi) > 0 THEN
    INSERT INTO leads (process_id, external_id)
      SELECT DISTINCT (e->>'processId')::uuid, e->'lead'->>'id' FROM jsonb_array_elements(v_multi) e
      ORDER BY 1, 2
      ON CONFLICT (process_id, external_id) DO NOTHING;
    PERFORM 1 FROM leads l
      JOIN (SELECT DISTINCT (e->>'processId')::uuid AS process_id, e->'lead'->>'id' AS external_id
            FROM jsonb_array_elements(v_multi) e) k
        ON l.process_id = k.process_id AND l.external_id = k.external_id
      ORDER BY l.process_id, l.external_id
      FOR UPDATE OF l;
    FOR v_event IN SELECT e FROM jsonb_array_elements(v_multi) e LOOP
      v_event_id := leadhook_store_event(p_workspace_id, v_event);
      v_accepted := v_accepted || jsonb_build_object(v_event->>'id', v_event_id);
    END LOOP;
  END IF;
  RETURN jsonb_build_object('accepted', v_accepted);
END;
$$;
