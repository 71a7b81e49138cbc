-- CreateTable
CREATE TABLE "former_links" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_by_id" UUID,

    CONSTRAINT "former_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "former_links_organisation_id_user_id_idx" ON "former_links"("organisation_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "former_links_user_id_organisation_id_key" ON "former_links"("user_id", "organisation_id");

-- AddForeignKey
ALTER TABLE "former_links" ADD CONSTRAINT "former_links_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "former_links" ADD CONSTRAINT "former_links_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
