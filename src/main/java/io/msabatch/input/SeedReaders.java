package io.msabatch.input;

import java.nio.file.Path;

import org.apache.commons.csv.CSVParser;

/** Entry points of the input feature: a cheap up-front check of the seeds file, and the reader for the job's step. */
public final class SeedReaders {

    private SeedReaders() {
    }

    /**
     * Checks before the job starts that {@code file} exists, is readable, holds at least one record and is FASTA (first
     * non-blank line starts with {@code >}) or CSV (a header with {@code id} and {@code sequence} columns and one row).
     * Reads only the start of the file. Throws {@link InputFileException} with a one-line message otherwise.
     */
    public static void check(Path file, InputFormat format) {
        InputFiles.requireReadable(file);
        InputFormat resolved = InputFormat.resolve(file, format);
        String first = InputFiles.firstNonBlankLine(file);
        if (first == null) {
            throw InputFiles.empty(file);
        }
        if (resolved == InputFormat.FASTA) {
            if (!first.strip().startsWith(">")) {
                String shown = first.strip();
                shown = shown.length() > 30 ? shown.substring(0, 30) + "..." : shown;
                throw new InputFileException(file, "input file " + file + " is not FASTA: its first line '" + InputFiles.oneLine(shown)
                        + "' does not start with '>'; start every record with a '>id' header line");
            }
            return;
        }
        try (CSVParser parser = CsvSeedReader.openParser(file)) {
            CsvSeedReader.header(file, parser);
            boolean anyRecord = false;
            for (var row : parser) {
                if (!CsvSeedReader.allBlank(row)) {
                    anyRecord = true;
                    break;
                }
            }
            if (!anyRecord) {
                throw new InputFileException(file, "input file " + file
                        + " has a header row but no records; add one row per sequence below the header");
            }
        } catch (java.io.IOException e) {
            throw InputFiles.unreadable(file, e);
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw CsvSeedReader.broken(file, e);
        }
    }

    /**
     * A new, not yet opened reader of {@code file} ({@code format} resolved as in {@link InputFormat#resolve}), named
     * {@code seedsReader}. Spring Batch opens it with the step's ExecutionContext and restarts it from there.
     */
    public static SeedFileReader open(Path file, InputFormat format) {
        return switch (InputFormat.resolve(file, format)) {
            case FASTA -> new FastaSeedReader(file);
            case CSV -> new CsvSeedReader(file);
            case AUTO -> throw new IllegalStateException("resolve never answers AUTO");
        };
    }
}
