package dev.changepipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The Spark engine imports no other engine (its tests use the embedded one, to compare tables). */
class SparkModuleRulesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.changepipe");

    @Test
    void theSparkEngineImportsNoOtherEngine() {
        assertThat(CLASSES.contain("dev.changepipe.spark.SparkEngineFactory")).isTrue();
        noClasses().that().resideInAPackage("dev.changepipe.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.changepipe.duckdb..", "org.duckdb..",
                        "dev.changepipe.landing.s3..", "dev.changepipe.cli..")
                .check(CLASSES);
    }
}
