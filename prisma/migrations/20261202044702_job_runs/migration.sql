-- CreateTable
CREATE TABLE "job_runs" (
    "job" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "result" JSONB,

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("job","day")
);
