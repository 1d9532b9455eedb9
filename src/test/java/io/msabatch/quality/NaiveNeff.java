package io.msabatch.quality;

import io.msabatch.output.AlignmentRows;
import io.msabatch.output.OutputFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Neff definition written the plain way (characters, all pairs), to check the bit-parallel one against. */
final class NaiveNeff {

    private NaiveNeff() {
    }

    static double of(Path file, OutputFormat format) {
        List<String> rows = new ArrayList<>();
        AlignmentRows.read(file, format, (n, name, row) -> rows.add(queryColumns(row)));
        double neff = 0;
        for (String a : rows) {
            int similar = 0;
            for (String b : rows) {
                int both = 0;
                int same = 0;
                for (int c = 0; c < a.length(); c++) {
                    if (a.charAt(c) != '-' && b.charAt(c) != '-') {
                        both++;
                        if (a.charAt(c) == b.charAt(c)) {
                            same++;
                        }
                    }
                }
                if (a == b || (both > 0 && 5 * same >= 4 * both)) {
                    similar++;
                }
            }
            neff += 1.0 / similar;
        }
        return neff;
    }

    static String queryColumns(CharSequence row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c == '-') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
