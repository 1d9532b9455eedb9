-- How many records the input holds, counted when the run starts (its progress and ETA); null when unknown (gzip).
ALTER TABLE MSA_RUN ADD COLUMN EXPECTED_RECORDS BIGINT;
