package io.msabatch.input;

import org.biojava.nbio.core.sequence.compound.AminoAcidCompound;
import org.biojava.nbio.core.sequence.io.template.SequenceCreatorInterface;
import org.biojava.nbio.core.sequence.io.template.SequenceHeaderParserInterface;
import org.biojava.nbio.core.sequence.template.AbstractSequence;
import org.biojava.nbio.core.sequence.template.ProxySequenceReader;

import java.util.List;

/**
 * A BioJava sequence that keeps the record's text as read, without mapping letters to compounds: FastaReader drops a
 * record whose letters its compound set does not know, and we must reject such records visibly instead.
 */
final class RawSequence extends AbstractSequence<AminoAcidCompound> {

    private final String raw;

    RawSequence(String raw) {
        this.raw = raw;
    }

    @Override
    public String getSequenceAsString() {
        return raw;
    }

    @Override
    public int getLength() {
        return raw.length();
    }

    @Override
    public String toString() {
        return raw;
    }

    /** Creates {@link RawSequence}s; never throws on letters. */
    static final class Creator implements SequenceCreatorInterface<AminoAcidCompound> {
        @Override
        public AbstractSequence<AminoAcidCompound> getSequence(String sequence, long index) {
            return new RawSequence(sequence);
        }

        @Override
        public AbstractSequence<AminoAcidCompound> getSequence(ProxySequenceReader<AminoAcidCompound> proxy, long index) {
            throw new UnsupportedOperationException("RawSequence is only built from text");
        }

        @Override
        public AbstractSequence<AminoAcidCompound> getSequence(List<AminoAcidCompound> list) {
            throw new UnsupportedOperationException("RawSequence is only built from text");
        }
    }

    /** Keeps the header text only; ids are parsed from FastaHeaderTracker's copy, which knows the line number. */
    static final class HeaderParser implements SequenceHeaderParserInterface<RawSequence, AminoAcidCompound> {
        @Override
        public void parseHeader(String header, RawSequence sequence) {
            sequence.setOriginalHeader(header);
            // FastaReader keys its result map by accession; with process(1) there is one record per map.
            sequence.setAccession(new org.biojava.nbio.core.sequence.AccessionID(header == null ? "" : header));
        }
    }
}
