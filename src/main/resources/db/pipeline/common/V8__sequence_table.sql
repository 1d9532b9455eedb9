-- A job's sequence in a table of its own, written once when the job's row is created and read only to (re)send it.
-- In MSA_JOB it made every job update (submitted, succeeded, done) rewrite storage pages full of sequences: at
-- 100,000 records that serialisation was about 40% of the pipeline's CPU. Portable SQL: H2 2.x and PostgreSQL 14+.
CREATE TABLE MSA_SEQUENCE (
    RUN_ID          BIGINT          NOT NULL,
    SEQ_HASH        VARCHAR(64)     NOT NULL,
    SEQUENCE        VARCHAR(100000) NOT NULL,
    CONSTRAINT MSA_SEQUENCE_PK PRIMARY KEY (RUN_ID, SEQ_HASH)
);
INSERT INTO MSA_SEQUENCE (RUN_ID, SEQ_HASH, SEQUENCE) SELECT RUN_ID, SEQ_HASH, SEQUENCE FROM MSA_JOB;
ALTER TABLE MSA_JOB DROP COLUMN SEQUENCE;

-- Fewer indexes keyed by a random value (a hash or a job id): H2 writes whole pages, so each new entry in one rewrites
-- a page of it, and STATE in an index made every transition move an entry. The job key leads with the hash, so it
-- also serves the cross-run look-ups by sequence (MSA_JOB_SEQ_HASH_IX goes); this run's records of a sequence are
-- found by SEED_RECORD_HASH_IX (RUN_ID, SEQ_HASH); a file name's uniqueness follows from FILE_KEY's (its lower case).
ALTER TABLE MSA_JOB DROP CONSTRAINT MSA_JOB_PK;
ALTER TABLE MSA_JOB ADD CONSTRAINT MSA_JOB_PK PRIMARY KEY (SEQ_HASH, RUN_ID);
DROP INDEX MSA_JOB_SEQ_HASH_IX;
DROP INDEX SEED_RECORD_SEQ_HASH_IX;
ALTER TABLE SEED_RECORD DROP CONSTRAINT SEED_RECORD_FILE_UK;
