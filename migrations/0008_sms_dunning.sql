CREATE TABLE "sms_dunning_debtors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"phone" text NOT NULL,
	"e164" text,
	"name" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"due_date" text NOT NULL,
	"utility" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_dunning_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"debtor_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"message_id" uuid NOT NULL,
	"amount_minor" integer NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_dunning_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"account_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"threshold_minor" integer NOT NULL,
	"stages" jsonb NOT NULL,
	"max_per_period" integer NOT NULL,
	"period_days" integer NOT NULL,
	"min_interval_hours" integer NOT NULL,
	"window_from" text,
	"window_to" text,
	"sender" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sms_dunning_plans_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "sms_dunning_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by" text NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sms_dunning_debtors" ADD CONSTRAINT "sms_dunning_debtors_plan_id_sms_dunning_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."sms_dunning_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_dunning_notices" ADD CONSTRAINT "sms_dunning_notices_debtor_id_sms_dunning_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."sms_dunning_debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_dunning_runs" ADD CONSTRAINT "sms_dunning_runs_plan_id_sms_dunning_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."sms_dunning_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sms_dunning_debtors_ref_idx" ON "sms_dunning_debtors" USING btree ("plan_id","reference");--> statement-breakpoint
CREATE INDEX "sms_dunning_notices_debtor_idx" ON "sms_dunning_notices" USING btree ("debtor_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_dunning_notices_message_idx" ON "sms_dunning_notices" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "sms_dunning_runs_plan_idx" ON "sms_dunning_runs" USING btree ("plan_id","at");