-- Sign-in throttling kept in the database, so the check-and-count is one atomic statement that
-- holds across app processes and restarts. One row per throttled key: an account, a client
-- address, or the pair of both.
CREATE TABLE "login_throttles" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_failure_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "login_throttles_pkey" PRIMARY KEY ("key")
);

-- The one-time code that claims a fresh install (printed in the server console while no
-- account exists). Only its hash is stored; at most one row.
CREATE TABLE "setup_codes" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "code_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "setup_codes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "setup_codes_single_row" CHECK ("id" = 1)
);
