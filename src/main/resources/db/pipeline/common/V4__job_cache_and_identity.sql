-- The ledger as a job cache across runs, and a run identity that follows the input's content.
-- Portable SQL: runs on H2 2.x and PostgreSQL 14+.

-- The service's created_date of a job (the client's status listings are windowed by it), where the job came from
-- (SUBMITTED by this run, ADOPTED from an earlier run while in flight, REUSED from an earlier run's result), and how
-- many submissions the service confirmed (ATTEMPTS counts write-ahead intents).
ALTER TABLE MSA_JOB ADD COLUMN CREATED_AT TIMESTAMP WITH TIME ZONE;
ALTER TABLE MSA_JOB ADD COLUMN ORIGIN VARCHAR(20) DEFAULT 'SUBMITTED' NOT NULL;
ALTER TABLE MSA_JOB ADD COLUMN SUBMISSIONS INT DEFAULT 0 NOT NULL;
UPDATE MSA_JOB SET SUBMISSIONS = ATTEMPTS WHERE JOB_ID IS NOT NULL;
-- cache look-ups by sequence across runs
CREATE INDEX MSA_JOB_SEQ_HASH_IX ON MSA_JOB (SEQ_HASH, STATE);

-- Per record: where its MSA came from; its file name folded to lower case, unique per run, so that two files never
-- collide on a case-insensitive file system.
ALTER TABLE SEED_RECORD ADD COLUMN ORIGIN VARCHAR(20);
ALTER TABLE SEED_RECORD ADD COLUMN FILE_KEY VARCHAR(300);
UPDATE SEED_RECORD SET FILE_KEY = LOWER(FILE_NAME);
CREATE UNIQUE INDEX SEED_RECORD_FILE_KEY_UK ON SEED_RECORD (RUN_ID, FILE_KEY);
-- "waiting for its job" was called ACCEPTED; it is PENDING everywhere now (report, status)
UPDATE SEED_RECORD SET STATE = 'PENDING' WHERE STATE = 'ACCEPTED';

-- The input a run read: its path and the SHA-256 of its bytes (part of the run's identity).
ALTER TABLE MSA_RUN ADD COLUMN INPUT_PATH VARCHAR(4000);
ALTER TABLE MSA_RUN ADD COLUMN INPUT_SHA256 CHAR(64);
