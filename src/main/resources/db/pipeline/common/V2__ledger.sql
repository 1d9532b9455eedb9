-- The ledger: what msa-batch knows about every input record and every MSA job, per run.
-- A run is one Spring Batch job instance (RUN_ID = BATCH_JOB_INSTANCE.JOB_INSTANCE_ID).
-- Portable SQL: runs on H2 2.x and PostgreSQL 14+.

-- One row per distinct sequence of a run: the MSA job that computes it (write-ahead: the row exists,
-- in state SUBMITTING with INTENT_AT, before the POST is sent).
CREATE TABLE MSA_JOB (
    RUN_ID          BIGINT        NOT NULL,
    SEQ_HASH        CHAR(64)      NOT NULL,
    SEQUENCE        VARCHAR(100000) NOT NULL,
    STATE           VARCHAR(20)   NOT NULL,
    JOB_ID          VARCHAR(64),
    JOB_STATUS      VARCHAR(20),
    ATTEMPTS        INT           NOT NULL,
    INTENT_AT       TIMESTAMP WITH TIME ZONE,
    SUBMITTED_AT    TIMESTAMP WITH TIME ZONE,
    FINISHED_AT     TIMESTAMP WITH TIME ZONE,
    REUSED_FROM     VARCHAR(1000),
    ERROR           VARCHAR(2000),
    UPDATED_AT      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT MSA_JOB_PK PRIMARY KEY (RUN_ID, SEQ_HASH)
);
CREATE INDEX MSA_JOB_STATE_IX ON MSA_JOB (RUN_ID, STATE);
CREATE INDEX MSA_JOB_JOB_ID_IX ON MSA_JOB (JOB_ID);

-- One row per input record.
CREATE TABLE SEED_RECORD (
    RUN_ID          BIGINT        NOT NULL,
    RECORD_NO       BIGINT        NOT NULL,
    LINE_NO         BIGINT        NOT NULL,
    SEED_ID         VARCHAR(1000),
    SEQ_HASH        CHAR(64),
    STATE           VARCHAR(20)   NOT NULL,
    JOB_ID          VARCHAR(64),
    ATTEMPTS        INT           NOT NULL,
    FILE_NAME       VARCHAR(300),
    CHECKSUM        CHAR(64),
    ERROR           VARCHAR(2000),
    WARNING         VARCHAR(1000),
    CREATED_AT      TIMESTAMP WITH TIME ZONE NOT NULL,
    UPDATED_AT      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT SEED_RECORD_PK PRIMARY KEY (RUN_ID, RECORD_NO),
    CONSTRAINT SEED_RECORD_FILE_UK UNIQUE (RUN_ID, FILE_NAME)
);
CREATE INDEX SEED_RECORD_HASH_IX ON SEED_RECORD (RUN_ID, SEQ_HASH);
CREATE INDEX SEED_RECORD_ID_IX ON SEED_RECORD (RUN_ID, SEED_ID);

-- Per-run facts that are not Spring Batch's: whether submission has finished.
CREATE TABLE MSA_RUN (
    RUN_ID          BIGINT        NOT NULL,
    PIPELINE        VARCHAR(200)  NOT NULL,
    RUN_DATE        VARCHAR(10)   NOT NULL,
    OUTPUT_DIR      VARCHAR(2000) NOT NULL,
    SUBMISSION_DONE BOOLEAN       NOT NULL,
    CREATED_AT      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT MSA_RUN_PK PRIMARY KEY (RUN_ID)
);
