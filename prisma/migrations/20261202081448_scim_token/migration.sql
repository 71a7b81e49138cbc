-- AlterTable
ALTER TABLE "api_clients" ADD COLUMN     "scim_token_hash" CHAR(64),
ADD COLUMN     "scim_token_issued_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "api_clients_scim_token_hash_key" ON "api_clients"("scim_token_hash");

-- Rules the schema language cannot express: a SCIM token has its issue time (and the other way round),
-- and a revoked client has none.
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_scim_token_issued" CHECK (("scim_token_hash" IS NULL) = ("scim_token_issued_at" IS NULL));
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_scim_token_not_revoked" CHECK ("revoked_at" IS NULL OR "scim_token_hash" IS NULL);
