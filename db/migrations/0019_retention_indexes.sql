CREATE INDEX "audit_log_created_idx" ON "audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "deliveries_eventless_created_idx" ON "deliveries" USING btree ("created_at") WHERE "deliveries"."event_id" is null;--> statement-breakpoint
CREATE INDEX "events_received_idx" ON "events" USING btree ("received_at");