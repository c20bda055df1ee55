-- Where the original records of sign-in events are: their block (compressed, see
-- lib/events/record-blocks.ts) and their line in it. $1 event ids bigint[]
SELECT e.id, e.dataset_id, b.source_format, e.record_block, e.record_index, b.encoding, b.records
FROM sign_in_events e
JOIN sign_in_record_blocks b ON b.dataset_id = e.dataset_id AND b.block_id = e.record_block
WHERE e.id = ANY($1::bigint[])
