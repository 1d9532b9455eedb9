-- Jobs as today's align service has them: uploads of a ready MSA (is_seed false), cache hits sharing the result of an
-- earlier job (result_of), no progress counter. Seeds are short text, not LOBs (H2 keeps CLOBs over 256 bytes in a
-- separate LOB store, an extra write per job). Newest-first lists and more_recent_than filters read the
-- (username, created_us) index; nothing reads jobs by status but the start-up resume, so status has no index
-- (every status change would rewrite it).
ALTER TABLE emulator_job ADD COLUMN is_seed BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE emulator_job ADD COLUMN msa_file VARCHAR(1000);
ALTER TABLE emulator_job ADD COLUMN result_of VARCHAR(36);
UPDATE emulator_job SET msa_file = REGEXP_SUBSTR(args, '"msa_file":"([^"]*)"', 1, 1, '', 1),
    is_seed = (args NOT LIKE '%"is_seed":false%');
ALTER TABLE emulator_job DROP COLUMN args;
ALTER TABLE emulator_job DROP COLUMN raw_seed;
ALTER TABLE emulator_job DROP COLUMN progress_counter;
ALTER TABLE emulator_job ALTER COLUMN seed SET DATA TYPE VARCHAR(1000000);
DROP INDEX emulator_job_status;
DROP INDEX emulator_job_user_seq;
CREATE INDEX emulator_job_user_created ON emulator_job (username, created_us);
-- A new submission looks its seed up for the cache and for the user's earlier jobs of it.
DROP INDEX emulator_job_seed;
CREATE INDEX emulator_job_seed_user ON emulator_job (seed_sha256, username);
