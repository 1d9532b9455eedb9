package io.msabatch.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.msabatch.output.OutputFormat;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, does not test: the Neff estimate's error against exact values, and time and memory of a scan at 100,000
 * rows x 400 columns. Run with {@code ./mvnw test -Dtest=MsaScannerBenchmarkTests -Dtest.excludedGroups=none}; the
 * figures are printed and written to {@code target/msa-scanner-benchmark.txt}.
 */
@Tag("benchmark")
class MsaScannerBenchmarkTests {

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    private void print(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        lines.add(line);
    }

    @Test
    void estimateErrorAgainstExactNeff() throws Exception {
        record Shape(String name, int families, double mutation) {
        }
        Shape[] shapes = {new Shape("redundant", 15, 0.03), new Shape("mixed", 120, 0.07), new Shape("diverse", 1_500, 0.15)};
        QualitySettings estimate = QualitySettings.defaults().withoutPicture().withExactLimit(2_000);
        int rows = 10_000;
        print("Neff estimate vs exact, %d rows x 300 columns, exact limit lowered to 2,000, sample %d", rows, estimate.sampleSize());
        for (Shape shape : shapes) {
            double sumError = 0;
            double maxError = 0;
            double exactSum = 0;
            int seeds = 6;
            for (int seed = 0; seed < seeds; seed++) {
                Path file = SyntheticMsa.write(dir.resolve(shape.name() + seed + ".a3m"), SyntheticMsa.protein(300, seed), rows,
                        shape.families(), shape.mutation(), 100 + seed);
                double exact = MsaScanner.scan(file, OutputFormat.A3M, estimate.withExactLimit(rows)).quality().neff();
                double est = MsaScanner.scan(file, OutputFormat.A3M, estimate).quality().neff();
                double error = Math.abs(est - exact) / exact;
                sumError += error;
                maxError = Math.max(maxError, error);
                exactSum += exact;
                Files.delete(file);
            }
            print("  %-9s mean exact Neff %7.1f   relative error: mean %4.1f%%, max %4.1f%% (%d MSAs)", shape.name(),
                    exactSum / seeds, 100 * sumError / seeds, 100 * maxError, seeds);
        }
        save();
    }

    @Test
    void scanOf100000RowsBy400Columns() throws Exception {
        // given
        Path file = SyntheticMsa.write(dir.resolve("big.a3m"), SyntheticMsa.protein(400, 9), 100_000, 3_000, 0.08, 9);
        print("100,000 rows x 400 columns: A3M of %.1f MB", Files.size(file) / 1e6);

        // when: in this JVM, warm, three times
        MsaScan scan = null;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            scan = MsaScanner.scan(file, OutputFormat.A3M, QualitySettings.defaults());
            print("  scan %d (quality + picture): %.2f s, Neff %.1f (estimated: %s), coverage mean %.3f min %.3f",
                    i + 1, (System.nanoTime() - t0) / 1e9, scan.quality().neff(), scan.quality().neffEstimated(),
                    scan.quality().coverageMean(), scan.quality().coverageMin());
        }
        long t0 = System.nanoTime();
        MsaScanner.scan(file, OutputFormat.A3M, QualitySettings.defaults().withExactLimit(1).withoutPicture());
        print("  the same three passes with one sampled row (reading and parsing, ~no Neff work): %.2f s, ~%.2f s a pass",
                (System.nanoTime() - t0) / 1e9, (System.nanoTime() - t0) / 1e9 / 3);
        print("  picture: %s, %d characters of JSON", scan.picture(), scan.picture().toJson().length());

        // and in a fresh JVM with a 48 MB heap: the scan must fit
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                ScanOnce.class.getName(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        print("  in a JVM with -Xmx48m: exit %d, %s", p.exitValue(), out.strip());
        print("  (this JVM: %d cores, %s)", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getRuntimeMXBean().getVmVersion());
        save();
        assertThat(p.exitValue()).isZero();
    }

    private void save() throws Exception {
        Path report = Path.of("target", "msa-scanner-benchmark.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Scans one file and prints the figures and the peak heap: the child process of the memory check. */
    static final class ScanOnce {
        public static void main(String[] args) {
            long t0 = System.nanoTime();
            MsaScan scan = MsaScanner.scan(Path.of(args[0]), OutputFormat.A3M, QualitySettings.defaults());
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(b -> b.getType() == java.lang.management.MemoryType.HEAP)
                    .mapToLong(b -> b.getPeakUsage().getUsed()).sum();
            System.out.printf(Locale.ROOT, "%.2f s, Neff %.1f, peak heap (sum of pools' peaks) %.1f MB%n",
                    (System.nanoTime() - t0) / 1e9, scan.quality().neff(), peak / 1e6);
        }
    }
}
