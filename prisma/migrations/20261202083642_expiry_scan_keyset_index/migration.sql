-- DropIndex
DROP INDEX "mandates_status_valid_until_idx";

-- DropIndex
DROP INDEX "means_status_valid_until_idx";

-- CreateIndex
CREATE INDEX "mandates_status_valid_until_id_idx" ON "mandates"("status", "valid_until", "id");

-- CreateIndex
CREATE INDEX "means_status_valid_until_id_idx" ON "means"("status", "valid_until", "id");
