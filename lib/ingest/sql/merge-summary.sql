-- Adds one batch's stored events to the per-hour, per-error-code summary (lib/ingest/hourly-summary.ts).
-- $1 dataset id, $2 buckets, $3 error codes ('' for none), $4 events, $5..$13 the counts in
-- column order, $14 first and $15 last event time of each row.
INSERT INTO sign_in_hourly_summary AS s (
    dataset_id, bucket, error_code, events, interactive, non_interactive, without_user_agent,
    without_client_app, without_app, without_location, without_asn, without_ip, without_upn,
    first_seen, last_seen)
SELECT $1::int, *
FROM unnest($2::timestamptz[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[],
            $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::timestamptz[], $15::timestamptz[])
ON CONFLICT (dataset_id, bucket, error_code) DO UPDATE SET
    events             = s.events + excluded.events,
    interactive        = s.interactive + excluded.interactive,
    non_interactive    = s.non_interactive + excluded.non_interactive,
    without_user_agent = s.without_user_agent + excluded.without_user_agent,
    without_client_app = s.without_client_app + excluded.without_client_app,
    without_app        = s.without_app + excluded.without_app,
    without_location   = s.without_location + excluded.without_location,
    without_asn        = s.without_asn + excluded.without_asn,
    without_ip         = s.without_ip + excluded.without_ip,
    without_upn        = s.without_upn + excluded.without_upn,
    first_seen         = least(s.first_seen, excluded.first_seen),
    last_seen          = greatest(s.last_seen, excluded.last_seen)
