package io.msabatch.input;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/** Test helpers: the named test files and reading a whole file the way a step does. */
final class SeedReading {

    private SeedReading() {
    }

    static Path resource(String name) {
        try {
            return Path.of(SeedReading.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no test file " + name, e);
        }
    }

    static List<SeedRecord> readAll(Path file) throws Exception {
        SeedFileReader reader = SeedReaders.open(file, InputFormat.AUTO);
        reader.open(new ExecutionContext());
        try {
            List<SeedRecord> records = new ArrayList<>();
            for (SeedRecord r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
            return records;
        } finally {
            reader.close();
        }
    }
}
