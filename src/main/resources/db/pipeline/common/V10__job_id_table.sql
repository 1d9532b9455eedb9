-- Every job id the service gave this database, in a table of its own, written once when the answer is recorded.
-- As an index of MSA_JOB (MSA_JOB_JOB_ID_IX), keyed by a random value, it moved with every later job update (H2 runs
-- an UPDATE as a removal and a new insertion of the row in each index of its table): the job's end when its files
-- are written rewrote a page of it. Read only to tell the service's jobs that are ours (reconciliation); an id stays
-- known after its job is sent again. Not unique: an adopted job's id is the earlier run's. Portable SQL: H2 2.x and
-- PostgreSQL 14+.
CREATE TABLE MSA_JOB_ID (
    JOB_ID          VARCHAR(64)   NOT NULL,
    RUN_ID          BIGINT        NOT NULL,
    SEQ_HASH        VARCHAR(64)   NOT NULL
);
INSERT INTO MSA_JOB_ID (JOB_ID, RUN_ID, SEQ_HASH) SELECT JOB_ID, RUN_ID, SEQ_HASH FROM MSA_JOB WHERE JOB_ID IS NOT NULL;
CREATE INDEX MSA_JOB_ID_IX ON MSA_JOB_ID (JOB_ID);
DROP INDEX MSA_JOB_JOB_ID_IX;
