package io.msabatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.biojava.nbio.alignment.Alignments;
import org.biojava.nbio.alignment.SimpleGapPenalty;
import org.biojava.nbio.core.alignment.matrices.SubstitutionMatrixHelper;
import org.biojava.nbio.core.alignment.template.SequencePair;
import org.biojava.nbio.core.sequence.ProteinSequence;
import org.biojava.nbio.core.sequence.compound.AminoAcidCompound;
import org.junit.jupiter.api.Test;

/** Our aligner against BioJava's Smith-Waterman on real proteins, and the shape of its A3M rows. */
class SmithWatermanTests {

    static List<String> seeds() {
        String fasta = EmulatorApiIntegrationTests.resource("seeds.fasta");
        List<String> seqs = new ArrayList<>();
        for (String record : fasta.split(">")) {
            if (!record.isBlank()) {
                seqs.add(record.substring(record.indexOf('\n') + 1).replace("\n", ""));
            }
        }
        return seqs;
    }

    static byte[] codes(String s) {
        return Residues.encode(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void scoresLikeBioJavaOnRealPairsAndTheirHomologs() throws Exception {
        // given: real seeds and their best hits in the shipped reference set
        ReferenceDatabase db = ReferenceDatabase.loadDefault();
        HomologySearch search = new HomologySearch(db);
        List<String[]> pairs = new ArrayList<>();
        List<String> seeds = seeds();
        pairs.add(new String[] {seeds.get(0), seeds.get(1)});
        for (String seed : seeds.subList(0, 2)) {
            for (HomologySearch.Hit hit : search.search(seed).subList(0, 3)) {
                pairs.add(new String[] {seed, new String(db.letters[hit.target()], StandardCharsets.US_ASCII)});
            }
        }
        // BioJava's open penalty is charged in addition to the extension of the first gap position,
        // so (open 11, extend 1) here equals BLAST's 11/1.
        SimpleGapPenalty gaps = new SimpleGapPenalty(11, 1);
        for (String[] pair : pairs) {
            // when
            int ours = SmithWaterman.score(codes(pair[0]), codes(pair[1]));
            SmithWaterman.Alignment alignment = SmithWaterman.align(codes(pair[0]), codes(pair[1]));
            SequencePair<ProteinSequence, AminoAcidCompound> theirs = Alignments.getPairwiseAlignment(
                    new ProteinSequence(pair[0]), new ProteinSequence(pair[1]),
                    Alignments.PairwiseSequenceAlignerType.LOCAL, gaps, SubstitutionMatrixHelper.getBlosum62());
            int bioJavaScore = (int) Math.round(Alignments.getPairwiseAligner(new ProteinSequence(pair[0]),
                    new ProteinSequence(pair[1]), Alignments.PairwiseSequenceAlignerType.LOCAL, gaps,
                    SubstitutionMatrixHelper.getBlosum62()).getScore());
            // then
            assertThat(ours).isEqualTo(bioJavaScore);
            assertThat(alignment.score()).isEqualTo(ours);
            assertThat(theirs.getLength()).isPositive();
        }
    }

    @Test
    void tracesBackAPathWhoseScoreIsTheBestScore() {
        // given
        String q = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ";
        String t = "GGGMKTAYIAKQRQWWWISFVKSHFSRQLEELGLIEVQGGG";
        // when
        SmithWaterman.Alignment a = SmithWaterman.align(codes(q), codes(t));
        // then: re-score the path
        int score = 0;
        int qi = a.queryStart() - 1;
        int ti = a.targetStart() - 1;
        byte prev = -1;
        for (byte op : a.ops()) {
            if (op == SmithWaterman.Alignment.MATCH) {
                score += Residues.MATRIX[Residues.code(q.charAt(qi++))][Residues.code(t.charAt(ti++))];
            } else {
                score -= op == prev ? SmithWaterman.GAP_EXTEND : SmithWaterman.GAP_OPEN + SmithWaterman.GAP_EXTEND;
                if (op == SmithWaterman.Alignment.DELETION) {
                    qi++;
                } else {
                    ti++;
                }
            }
            prev = op;
        }
        assertThat(score).isEqualTo(a.score());
        assertThat(qi).isEqualTo(a.queryEnd());
        assertThat(ti).isEqualTo(a.targetEnd());
        assertThat(a.ops()).contains(SmithWaterman.Alignment.INSERTION);
    }
}
