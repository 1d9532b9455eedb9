package io.msabatch.input;

import java.nio.file.Path;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * A restartable, streaming reader of one seeds file: one {@link SeedRecord} per record of the file, in file order, none
 * dropped (empty or bad records come through so that validation can reject them with a reason). Its name is
 * {@code seedsReader}, so the checkpoint is {@code seedsReader.read.count}; on restart {@link #open} skips the records
 * already counted. Not thread-safe (Spring Batch calls readers from the step thread only). Problems with the file as a
 * whole throw {@link InputFileException}, also from {@link #open}.
 */
public abstract class SeedFileReader extends AbstractItemCountingItemStreamItemReader<SeedRecord> {

    /** The reader's name, hence the prefix of its ExecutionContext keys. */
    public static final String NAME = "seedsReader";

    private final Path file;

    SeedFileReader(Path file) {
        this.file = file;
        setName(NAME);
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** FASTA or CSV (never AUTO). */
    public abstract InputFormat format();

    /** Opens the file and, on restart, skips the records counted in {@code executionContext}. */
    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        try {
            super.open(executionContext);
        } catch (ItemStreamException e) {
            // The base class wraps doOpen()/jumpToItem() failures; keep our one-line fatal message on top.
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof InputFileException fatal) {
                    throw fatal;
                }
            }
            throw e;
        }
    }
}
