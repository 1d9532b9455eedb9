package io.msabatch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The one direction imports run, as package-info.java of {@code io.msabatch} states it:
 * {@code cli → job → report → poll → submit → run → api, input → ledger, quality → output}, with the emulator beside
 * (only {@code cli} and {@code job} start it, and it depends on nothing of the pipeline). Checked on the compiled
 * main classes.
 */
class ArchitectureTests {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.msabatch");

    @Test
    void importsRunFromHigherPackagesToLowerOnesOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.msabatch.cli..")
                .layer("job").definedBy("io.msabatch.job..")
                .layer("report").definedBy("io.msabatch.report..")
                .layer("poll").definedBy("io.msabatch.poll..")
                .layer("submit").definedBy("io.msabatch.submit..")
                .layer("run").definedBy("io.msabatch.run..")
                .layer("api").definedBy("io.msabatch.api..")
                .layer("input").definedBy("io.msabatch.input..")
                .layer("ledger").definedBy("io.msabatch.ledger..")
                .layer("quality").definedBy("io.msabatch.quality..")
                .layer("output").definedBy("io.msabatch.output..")
                .layer("emulator").definedBy("io.msabatch.emulator..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("job").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli", "job")
                .whereLayer("poll").mayOnlyBeAccessedByLayers("cli", "job", "report")
                .whereLayer("submit").mayOnlyBeAccessedByLayers("cli", "job", "report", "poll")
                .whereLayer("run").mayOnlyBeAccessedByLayers("cli", "job", "report", "poll", "submit")
                .whereLayer("api").mayOnlyBeAccessedByLayers("cli", "job", "report", "poll", "submit", "run")
                .whereLayer("input").mayOnlyBeAccessedByLayers("cli", "job", "report", "poll", "submit", "run")
                .whereLayer("ledger").mayOnlyBeAccessedByLayers("cli", "job", "report", "poll", "submit", "run", "api",
                        "input")
                .whereLayer("quality").mayOnlyBeAccessedByLayers("cli", "job", "report", "poll", "submit", "run", "api",
                        "input")
                .whereLayer("output").mayOnlyBeAccessedByLayers("cli", "job", "report", "poll", "submit", "run", "api",
                        "input", "ledger", "quality")
                .whereLayer("emulator").mayOnlyBeAccessedByLayers("cli", "job")
                .check(MAIN);
    }
}
