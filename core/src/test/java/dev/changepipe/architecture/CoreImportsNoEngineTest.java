package dev.changepipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Core knows the spec, the rules and their dialects, the ledger, the scheduler and the engine
 * interface; engines depend on it, never the other way round. A dialect is spelling: it names no
 * engine's classes either.
 */
class CoreImportsNoEngineTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.changepipe");

    @Test
    void coreDependsOnNoEngineNorEngineLibrary() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.changepipe.duckdb..", "dev.changepipe.spark..", "dev.changepipe.landing.s3..", "dev.changepipe.cli..",
                        "org.duckdb..", "org.apache.spark..", "io.delta..", "org.apache.hadoop..", "software.amazon..",
                        "scala..")
                .because("core imports no engine: engines depend on core (docs/engines.md)")
                .check(CORE);
    }

    @Test
    void coreHoldsClasses() {
        // The rule above would pass on nothing; core's own classes must have been found.
        assertThat(CORE.contain("dev.changepipe.scd.Scd2Plan")).isTrue();
    }
}
