-- AlterTable
ALTER TABLE "legal_representatives" ADD COLUMN     "locale" VARCHAR(5) NOT NULL DEFAULT 'nl';

-- The mail language of a person and of a legal representative: Dutch or English, nothing else
-- (the outbox sends anything else in Dutch, so a typo would silently become Dutch).
ALTER TABLE "users" ADD CONSTRAINT "users_locale_check" CHECK ("locale" IN ('nl', 'en'));
ALTER TABLE "legal_representatives" ADD CONSTRAINT "legal_representatives_locale_check" CHECK ("locale" IN ('nl', 'en'));
