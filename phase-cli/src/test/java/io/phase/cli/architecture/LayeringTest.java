package io.phase.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of phase-cli, checked on its compiled classes. */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.phase.cli");
  }

  /** The HTTP endpoint reads the node; the commands start it, never the other way round. */
  @Test
  void httpEndpointKnowsNothingOfTheCommands() {
    noClasses()
        .that()
        .resideInAPackage("io.phase.cli.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.phase.cli")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.phase.cli.(*)..").should().beFreeOfCycles().check(classes);
  }
}
