-- Jobs as today's align service has them: uploads of a ready MSA (is_seed false), cache hits sharing the result of an
-- earlier job (result_of), no progress counter.
--
-- Laid out for load. H2 (WRITE_DELAY=0) writes every page a commit touched, index pages included, so:
-- - a job row keeps only what changes or is listed (it is rewritten at every status change); the seed and the user
--   who sent it live in emulator_seed, written once;
-- - keys are small: job ids are UUIDs (16 bytes, not 36 characters), and seeds are found by a 64-bit key (the first
--   8 bytes of their SHA-256), the seed text itself confirming a match;
-- - seeds are text, not CLOBs (H2 moves CLOBs over 256 bytes to a separate LOB store: another write per job);
-- - newest-first lists and more_recent_than filters read the (username, created_us) index; nothing reads jobs by
--   status but the start-up resume, so status has no index.
CREATE TABLE emulator_seed (
    seq      BIGINT           NOT NULL PRIMARY KEY,
    seed_key BIGINT           NOT NULL,
    username VARCHAR(200)     NOT NULL,
    seed     VARCHAR(1000000) NOT NULL
);
INSERT INTO emulator_seed (seq, seed_key, username, seed)
    SELECT seq, CAST(CAST(SUBSTRING(HASH('SHA-256', CAST(seed AS VARCHAR(1000000))), 1, 8) AS BINARY(8)) AS BIGINT),
        username, CAST(seed AS VARCHAR(1000000))
    FROM emulator_job;
-- A new submission looks its seed up for the cache and for the user's earlier jobs of it.
CREATE INDEX emulator_seed_key_user ON emulator_seed (seed_key, username);

ALTER TABLE emulator_job ADD COLUMN is_seed BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE emulator_job ADD COLUMN msa_file VARCHAR(1000);
ALTER TABLE emulator_job ADD COLUMN result_of UUID;
UPDATE emulator_job SET msa_file = REGEXP_SUBSTR(args, '"msa_file":"([^"]*)"', 1, 1, '', 1),
    is_seed = (args NOT LIKE '%"is_seed":false%');
DROP INDEX emulator_job_status;
DROP INDEX emulator_job_user_seq;
DROP INDEX emulator_job_seed;
ALTER TABLE emulator_job DROP COLUMN args;
ALTER TABLE emulator_job DROP COLUMN raw_seed;
ALTER TABLE emulator_job DROP COLUMN seed;
ALTER TABLE emulator_job DROP COLUMN seed_sha256;
ALTER TABLE emulator_job DROP COLUMN progress_counter;
ALTER TABLE emulator_job ALTER COLUMN job_id SET DATA TYPE UUID;
ALTER TABLE emulator_result ALTER COLUMN job_id SET DATA TYPE UUID;
CREATE INDEX emulator_job_user_created ON emulator_job (username, created_us);
