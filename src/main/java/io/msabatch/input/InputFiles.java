package io.msabatch.input;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Opening input files: existence checks with one-line messages, gzip by extension, and a UTF-8 BOM dropped. */
final class InputFiles {

    private InputFiles() {
    }

    static void requireReadable(Path file) {
        if (String.valueOf(file.getFileName()).equals("-")) {
            throw new InputFileException(file, "input '-' (standard input) cannot be read as a stream: msa-batch reads its"
                    + " input more than once (to check it, to identify the run, to resume), so save it to a file and give"
                    + " that file");
        }
        if (Files.isDirectory(file)) {
            throw new InputFileException(file, "input file " + file + " is a directory; set pipeline.input to a FASTA or CSV file");
        }
        if (!Files.exists(file)) {
            throw new InputFileException(file, "input file " + file + " does not exist; check pipeline.input (--input)");
        }
        if (!Files.isReadable(file)) {
            throw new InputFileException(file, "input file " + file + " is not readable; check its permissions");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputFileException(file, "input " + file + " is not a regular file (a pipe, a device or standard"
                    + " input); msa-batch reads its input more than once (to check it, to identify the run, to resume),"
                    + " so save it to a file and give that file");
        }
    }

    static InputFileException empty(Path file) {
        return new InputFileException(file, "input file " + file + " is empty (no records); give a FASTA or CSV file with at least one sequence");
    }

    static InputFileException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputFileException(file, "input file " + file + " does not exist; check pipeline.input (--input)", e);
        }
        if (e instanceof AccessDeniedException) {
            return new InputFileException(file, "input file " + file + " is not readable; check its permissions", e);
        }
        return new InputFileException(file, "input file " + file + " cannot be read (" + oneLine(e.getMessage())
                + "); check the file and the disk", e);
    }

    /**
     * A read that failed part-way through the file (a truncated or corrupt {@code .gz}, a failing disk): the line
     * after which it failed ({@code lines} lines were read whole) and the fix.
     */
    static InputFileException unreadableAfter(Path file, long lines, IOException e) {
        String gz = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT).endsWith(".gz")
                ? "; the compressed file is cut short or damaged: copy or compress it again" : "; check the file and the disk";
        return new InputFileException(file, "input file " + file + " cannot be read "
                + (lines > 0 ? "after line " + lines : "from its first line") + " ("
                + oneLine(e.getMessage()) + ")" + gz, e);
    }

    /** The file's bytes: gunzipped when the name ends in {@code .gz}, without a leading UTF-8 byte order mark. */
    static InputStream openBytes(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream in = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT).endsWith(".gz")
                    ? new GZIPInputStream(raw, 65536) : raw;
            BufferedInputStream buffered = new BufferedInputStream(in, 65536);
            buffered.mark(3);
            byte[] head = buffered.readNBytes(3);
            if (!(head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
                buffered.reset();
            }
            return buffered;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The file as UTF-8 text (see {@link #openBytes}). */
    static Reader openText(Path file) throws IOException {
        return new InputStreamReader(openBytes(file), StandardCharsets.UTF_8);
    }

    /** The first line that is not blank, or null when there is none. */
    static String firstNonBlankLine(Path file) {
        long lines = 0;
        try (BufferedReader reader = new BufferedReader(openText(file))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    return line;
                }
                lines++;
            }
            return null;
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw unreadable(file, e);
        } catch (IOException e) {
            throw unreadableAfter(file, lines, e);
        }
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").strip();
    }
}
