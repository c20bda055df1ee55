-- A client's attempt proved its password right: take back the failure it was counted as, and
-- the lock that count may have started. $1 key, $2 free failures
UPDATE login_throttles
   SET failures = greatest(failures - 1, 0),
       locked_until = CASE WHEN failures - 1 < $2::int THEN NULL ELSE locked_until END
 WHERE key = $1
