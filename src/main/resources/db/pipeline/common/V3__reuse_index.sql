-- Reuse across nights (pipeline.reuse-max-age) looks records up by sequence hash across runs.
CREATE INDEX SEED_RECORD_SEQ_HASH_IX ON SEED_RECORD (SEQ_HASH, STATE);
