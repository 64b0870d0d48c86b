package dev.changepipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module rules the command line's class path can see: the command line and its servers reach an
 * engine only through core's interfaces, and no engine or landing zone imports another. The one
 * exception is the benchmark's DuckDB session, which runs DuckDB's own CSV load and the naive MERGE as
 * baselines to compare the pipeline with.
 */
class ModuleRulesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.changepipe");

    @Test
    void theCommandLineReachesEnginesThroughCoreOnly() {
        noClasses().that().resideInAPackage("dev.changepipe.cli..")
                .and().haveNameNotMatching("dev\\.changepipe\\.cli\\.bench\\.DuckDbSession(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("dev.changepipe.duckdb..", "dev.changepipe.spark..",
                        "org.duckdb..", "org.apache.spark..", "io.delta..")
                .because("engines are found through core's EngineFactory (ServiceLoader); the bench's baselines are the "
                        + "one exception")
                .check(CLASSES);
    }

    @Test
    void noEngineOrLandingZoneImportsAnother() {
        noClasses().that().resideInAPackage("dev.changepipe.duckdb..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.changepipe.spark..", "dev.changepipe.landing.s3..",
                        "dev.changepipe.cli..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.changepipe.landing.s3..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.changepipe.duckdb..", "dev.changepipe.spark..",
                        "dev.changepipe.cli..", "org.duckdb..")
                .check(CLASSES);
    }

    @Test
    void theRulesSeeEveryModuleOfTheCommandLine() {
        // Rules over classes that were not found would pass on nothing.
        assertThat(CLASSES.contain("dev.changepipe.duckdb.DuckDbEngineFactory")).isTrue();
        assertThat(CLASSES.contain("dev.changepipe.landing.s3.S3LandingZoneFactory")).isTrue();
        assertThat(CLASSES.contain("dev.changepipe.cli.Changepipe")).isTrue();
    }
}
