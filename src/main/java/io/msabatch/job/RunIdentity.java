package io.msabatch.job;

import io.msabatch.run.FatalException;
import io.msabatch.run.PipelineProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What makes a run: the pipeline's name, the night ({@code pipeline.run-date}, default today), the output folder and
 * the SHA-256 of the input's bytes. Running the same command again on the same night with the same input resumes (or,
 * once complete, does nothing); an edited input is a new run that reuses what is already computed; the next night is
 * a new run that adopts what is still in flight. The input's path is recorded but does not identify the run.
 */
record RunIdentity(String pipeline, String runDate, Path input, String inputSha256, Path output, Long expectedRecords) {

    static final String PIPELINE = "pipeline";
    static final String RUN_DATE = "run.date";
    static final String INPUT_SHA256 = "input.sha256";
    static final String OUTPUT = "output";
    static final String INPUT = io.msabatch.submit.SubmitStepConfiguration.INPUT_PARAMETER;
    static final String EXPECTED = "records.expected";

    static RunIdentity of(PipelineProperties settings, Clock clock) {
        String date;
        try {
            date = settings.runDate() == null || settings.runDate().isBlank()
                    ? LocalDate.now(clock.withZone(ZoneId.systemDefault())).toString()
                    : LocalDate.parse(settings.runDate().trim()).toString();
        } catch (DateTimeParseException e) {
            throw new FatalException("pipeline.run-date is '" + settings.runDate() + "'; give a date as YYYY-MM-DD");
        }
        Path input = settings.input().toAbsolutePath().normalize();
        Scan scan = scan(input);
        return new RunIdentity(settings.name(), date, input, scan.sha256(), settings.output().toAbsolutePath().normalize(),
                scan.records());
    }

    JobParameters parameters() {
        return new JobParametersBuilder()
                .addString(PIPELINE, pipeline)
                .addString(RUN_DATE, runDate)
                .addString(INPUT_SHA256, inputSha256)
                .addString(OUTPUT, output.toString())
                .addString(INPUT, input.toString(), false)
                .addString(EXPECTED, expectedRecords == null ? "" : expectedRecords.toString(), false)
                .toJobParameters();
    }

    /** The input's SHA-256 and, for a plain FASTA or CSV, how many records it holds (for progress and ETA). */
    record Scan(String sha256, Long records) {
    }

    /**
     * One streamed pass over the file's bytes as stored (a .gz is hashed compressed and not counted): its SHA-256,
     * and its records counted as FASTA headers ({@code >} at a line start) or CSV lines after the header (approximate
     * when quoted values span lines).
     */
    static Scan scan(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean gz = name.endsWith(".gz");
        boolean csv = name.endsWith(".csv");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long records = 0;
            long lines = 0;
            boolean lineStart = true;
            boolean blank = true;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    if (gz) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (b == '\n') {
                            if (!blank) {
                                lines++;
                            }
                            lineStart = true;
                            blank = true;
                            continue;
                        }
                        if (lineStart && b == '>') {
                            records++;
                        }
                        if (b > ' ') {
                            blank = false;
                        }
                        lineStart = false;
                    }
                }
            }
            if (!blank) {
                lines++;
            }
            Long count = gz ? null : csv ? Math.max(0, lines - 1) : records;
            return new Scan(HexFormat.of().formatHex(digest.digest()), count);
        } catch (IOException e) {
            throw new FatalException("input file " + file + " cannot be read (" + e.getMessage() + "); check the file", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
