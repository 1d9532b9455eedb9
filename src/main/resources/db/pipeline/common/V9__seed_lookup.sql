-- The look-ups of records by sequence, id and file name in a table of their own, written once when the record is.
-- H2 runs every UPDATE as a removal and a new insertion of the row in each index of its table, whichever columns
-- change: each record's transition (PENDING to SUCCESS, or an ending copied from its job) moved an entry in three
-- indexes keyed by a random value (hash, seed id, file key), each in a page of its own, and rewrote those pages.
-- SEED_RECORD keeps the columns (they never change) and only its primary key (in input order); SEED_LOOKUP holds the
-- three indexes, each ending with RECORD_NO (the way back to the record). Portable SQL: H2 2.x and PostgreSQL 14+.
CREATE TABLE SEED_LOOKUP (
    RUN_ID          BIGINT        NOT NULL,
    RECORD_NO       BIGINT        NOT NULL,
    SEQ_HASH        VARCHAR(64),
    SEED_ID         VARCHAR(1000),
    FILE_KEY        VARCHAR(300)
);
INSERT INTO SEED_LOOKUP (RUN_ID, RECORD_NO, SEQ_HASH, SEED_ID, FILE_KEY)
    SELECT RUN_ID, RECORD_NO, SEQ_HASH, SEED_ID, FILE_KEY FROM SEED_RECORD;
CREATE INDEX SEED_LOOKUP_HASH_IX ON SEED_LOOKUP (RUN_ID, SEQ_HASH, RECORD_NO);
CREATE INDEX SEED_LOOKUP_ID_IX ON SEED_LOOKUP (RUN_ID, SEED_ID, RECORD_NO);
CREATE UNIQUE INDEX SEED_LOOKUP_FILE_KEY_UK ON SEED_LOOKUP (RUN_ID, FILE_KEY);
DROP INDEX SEED_RECORD_HASH_IX;
DROP INDEX SEED_RECORD_ID_IX;
DROP INDEX SEED_RECORD_FILE_KEY_UK;
