-- Counts one sign-in attempt against a key before its password is checked, unless the key is
-- locked. One statement: concurrent attempts on a key queue on its row and each sees the count
-- the one before left, so a burst of guesses cannot all pass the check before any is counted.
-- Failures are forgotten after $5 seconds without one; from the $2-th on, each failure locks
-- the key for $3 seconds, doubled per further failure, at most $4 seconds.
-- No row returned: the key is locked; the attempt is refused and not counted.
-- $1 key, $2 free failures, $3 first delay s, $4 longest delay s, $5 forget after s
INSERT INTO login_throttles AS t (key, failures, last_failure_at, locked_until)
VALUES ($1, 1, now(), CASE WHEN 1 >= $2::int THEN now() + make_interval(secs => $3::float8) END)
ON CONFLICT (key) DO UPDATE
   SET (failures, last_failure_at, locked_until) = (
         SELECT n, now(),
                CASE WHEN n >= $2::int THEN now() + make_interval(secs => least($4::float8, $3::float8 * power(2, n - $2::int))) END
           FROM (SELECT CASE WHEN t.last_failure_at < now() - make_interval(secs => $5::float8) THEN 1 ELSE t.failures + 1 END AS n) AS attempt
       )
 WHERE t.locked_until IS NULL OR t.locked_until <= now()
RETURNING t.failures, t.locked_until
