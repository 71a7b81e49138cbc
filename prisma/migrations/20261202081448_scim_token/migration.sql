-- AlterTable
ALTER TABLE "api_clients" ADD COLUMN     "scim_token_hash" CHAR(64),
ADD COLUMN     "scim_token_issued_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "api_clients_scim_token_hash_key" ON "api_clients"("scim_token_hash");
