CREATE TYPE "public"."replay_status" AS ENUM('queueing', 'delivering', 'finished', 'cancelled');--> statement-breakpoint
CREATE TABLE "replays" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"process_id" uuid NOT NULL,
	"callback_id" uuid,
	"since" timestamp with time zone NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"event_types" text[],
	"lead_status" text,
	"disposition" text,
	"include_succeeded" boolean DEFAULT false NOT NULL,
	"status" "replay_status" DEFAULT 'queueing' NOT NULL,
	"total" integer NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"succeeded" integer,
	"failed" integer,
	"started_by" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "replay_id" uuid;--> statement-breakpoint
ALTER TABLE "replays" ADD CONSTRAINT "replays_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replays" ADD CONSTRAINT "replays_process_id_processes_id_fk" FOREIGN KEY ("process_id") REFERENCES "public"."processes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replays" ADD CONSTRAINT "replays_callback_id_lead_update_callbacks_id_fk" FOREIGN KEY ("callback_id") REFERENCES "public"."lead_update_callbacks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "replays_process_idx" ON "replays" USING btree ("process_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "replays_queueing_idx" ON "replays" USING btree ("process_id") WHERE "replays"."status" = 'queueing';--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_replay_id_replays_id_fk" FOREIGN KEY ("replay_id") REFERENCES "public"."replays"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_replay_idx" ON "deliveries" USING btree ("replay_id","status") WHERE "deliveries"."replay_id" is not null;