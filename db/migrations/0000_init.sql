CREATE TYPE "public"."callback_auth_type" AS ENUM('none', 'bearer', 'custom_header');--> statement-breakpoint
CREATE TYPE "public"."payload_format" AS ENUM('activity_update', 'full_lead');--> statement-breakpoint
CREATE TYPE "public"."process_status" AS ENUM('active', 'paused', 'archived');--> statement-breakpoint
CREATE TABLE "lead_update_callbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"process_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"url" text NOT NULL,
	"payload_format" "payload_format" DEFAULT 'activity_update' NOT NULL,
	"requires_whitelisting" boolean DEFAULT false NOT NULL,
	"auth_type" "callback_auth_type" DEFAULT 'none' NOT NULL,
	"bearer_token_encrypted" text,
	"auth_header_key" text,
	"auth_header_value_encrypted" text,
	"signing_secret_encrypted" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"language" text DEFAULT 'English' NOT NULL,
	"status" "process_status" DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "lead_update_callbacks" ADD CONSTRAINT "lead_update_callbacks_process_id_processes_id_fk" FOREIGN KEY ("process_id") REFERENCES "public"."processes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processes" ADD CONSTRAINT "processes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_update_callbacks_process_idx" ON "lead_update_callbacks" USING btree ("process_id","position");--> statement-breakpoint
CREATE INDEX "processes_workspace_idx" ON "processes" USING btree ("workspace_id","name");