-- The rule about to change, locked until the change commits, with the dataset it covers now: a
-- concurrent change may have moved it since the caller last read it.
-- $1 suppression rule id
SELECT dataset_id FROM suppression_rules WHERE id = $1::int FOR UPDATE
