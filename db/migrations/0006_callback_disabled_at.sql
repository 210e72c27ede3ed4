ALTER TABLE "delivery_attempts" ADD COLUMN "callback_id" uuid;--> statement-breakpoint
UPDATE "delivery_attempts" AS a SET "callback_id" = d."callback_id" FROM "deliveries" AS d WHERE d."id" = a."delivery_id";--> statement-breakpoint
ALTER TABLE "delivery_attempts" ALTER COLUMN "callback_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_update_callbacks" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
-- Callbacks a 410 Gone turned off before this column existed: their last change is when that happened.
UPDATE "lead_update_callbacks" SET "disabled_at" = "updated_at" WHERE "enabled" = false AND "disabled_reason" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "delivery_attempts_callback_idx" ON "delivery_attempts" USING btree ("callback_id","started_at");
