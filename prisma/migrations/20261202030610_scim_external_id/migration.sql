-- AlterTable
ALTER TABLE "organisation_links" ADD COLUMN     "external_id" VARCHAR(255);

-- CreateIndex
CREATE UNIQUE INDEX "organisation_links_organisation_id_external_id_key" ON "organisation_links"("organisation_id", "external_id");
