package io.msabatch.report.html;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Counts values into bins whose edges follow 1, 2, 5, 10, 20, 50... (readable on a log scale), plus extra edges such as
 * the shallow threshold; bins whose upper edge is at most {@code flagBelow} are flagged. Bin i holds
 * {@code edge[i] <= v < edge[i+1]}; values under the first edge go to the first bin, over the last to the last.
 */
final class Histogram {

    private final String title;
    private final double[] edges;
    private final long[] counts;
    private final double flagBelow;
    private final boolean integers;

    /** With {@code integers}, labels name whole numbers ({@code 2–4} for 2 <= v < 5), else edges ({@code 2–5}). */
    Histogram(String title, boolean integers, double max, double flagBelow, double... extraEdges) {
        this.title = title;
        this.integers = integers;
        this.flagBelow = flagBelow;
        TreeSet<Double> e = new TreeSet<>();
        for (double decade = 1; decade <= max * 10; decade *= 10) {
            e.add(decade);
            e.add(2 * decade);
            e.add(5 * decade);
        }
        for (double x : extraEdges) {
            if (x > 1) {
                e.add(x);
            }
        }
        this.edges = e.stream().mapToDouble(Double::doubleValue).filter(x -> x <= max * 10).toArray();
        this.counts = new long[edges.length];
    }

    void add(double v) {
        int i = Arrays.binarySearch(edges, v);
        int bin = i >= 0 ? i : Math.max(0, -i - 2);
        counts[Math.min(bin, counts.length - 1)]++;
    }

    /** {"title":..,"labels":[..],"counts":[..],"flagged":[..]}, without the empty bins at the top. */
    String toJson() {
        int last = counts.length - 1;
        while (last > 0 && counts[last] == 0) {
            last--;
        }
        List<String> labels = new ArrayList<>();
        StringBuilder c = new StringBuilder();
        StringBuilder f = new StringBuilder();
        for (int i = 0; i <= last; i++) {
            double lo = edges[i];
            double hi = i + 1 < edges.length ? edges[i + 1] : Double.POSITIVE_INFINITY;
            String label;
            if (hi == Double.POSITIVE_INFINITY) {
                label = "≥" + number(lo);
            } else if (integers) {
                label = hi - lo <= 1 ? number(lo) : number(lo) + "–" + number(Math.ceil(hi) - 1);
            } else {
                label = number(lo) + "–" + number(hi);
            }
            labels.add(label);
            c.append(i == 0 ? "" : ",").append(counts[i]);
            f.append(i == 0 ? "" : ",").append(hi <= flagBelow);
        }
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            l.append(i == 0 ? "" : ",").append('"').append(labels.get(i)).append('"');
        }
        return "{\"title\":\"" + title + "\",\"labels\":[" + l + "],\"counts\":[" + c + "],\"flagged\":[" + f + "]}";
    }

    private static String number(double x) {
        if (x >= 1_000_000) {
            return String.format(Locale.ROOT, "%.0fM", x / 1_000_000);
        }
        if (x >= 1_000) {
            return String.format(Locale.ROOT, "%.0fk", x / 1_000);
        }
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x);
    }
}
