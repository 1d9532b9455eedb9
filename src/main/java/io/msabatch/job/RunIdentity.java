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
record RunIdentity(String pipeline, String runDate, Path input, String inputSha256, Path output) {

    static final String PIPELINE = "pipeline";
    static final String RUN_DATE = "run.date";
    static final String INPUT_SHA256 = "input.sha256";
    static final String OUTPUT = "output";
    static final String INPUT = io.msabatch.submit.SubmitStepConfiguration.INPUT_PARAMETER;

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
        return new RunIdentity(settings.name(), date, input, sha256(input), settings.output().toAbsolutePath().normalize());
    }

    JobParameters parameters() {
        return new JobParametersBuilder()
                .addString(PIPELINE, pipeline)
                .addString(RUN_DATE, runDate)
                .addString(INPUT_SHA256, inputSha256)
                .addString(OUTPUT, output.toString())
                .addString(INPUT, input.toString(), false)
                .toJobParameters();
    }

    /** SHA-256 of the file's bytes as stored (a .gz is hashed compressed), streamed. */
    static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new FatalException("input file " + file + " cannot be read (" + e.getMessage() + "); check the file", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
