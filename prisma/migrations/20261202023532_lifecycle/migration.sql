-- AlterTable
ALTER TABLE "mandates" ADD COLUMN     "suspended_means_id" UUID;

-- AlterTable
ALTER TABLE "means" ADD COLUMN     "ends_on" DATE;

-- CreateIndex
CREATE INDEX "means_ends_on_idx" ON "means"("ends_on");
