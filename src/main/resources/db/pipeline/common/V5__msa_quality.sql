-- The quality of each job's MSA, computed once when its first file is written (every record of the sequence shares
-- it): rows (query included), Neff at 80% identity (and whether it is the sampling estimate), mean and minimum
-- per-column query coverage, the warning code (query-only, shallow), and for the first records of a run the coverage
-- picture that report.html draws (a few KB of JSON).
ALTER TABLE MSA_JOB ADD COLUMN N_SEQ INT;
ALTER TABLE MSA_JOB ADD COLUMN NEFF DOUBLE PRECISION;
ALTER TABLE MSA_JOB ADD COLUMN NEFF_ESTIMATED BOOLEAN;
ALTER TABLE MSA_JOB ADD COLUMN COVERAGE_MEAN DOUBLE PRECISION;
ALTER TABLE MSA_JOB ADD COLUMN COVERAGE_MIN DOUBLE PRECISION;
ALTER TABLE MSA_JOB ADD COLUMN MSA_WARNING VARCHAR(20);
ALTER TABLE MSA_JOB ADD COLUMN PICTURE VARCHAR(100000);
