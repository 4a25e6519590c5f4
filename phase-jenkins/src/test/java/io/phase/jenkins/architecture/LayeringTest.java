package io.phase.jenkins.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The Jenkins plugin is an adapter: it reaches Phase only through its public facades. */
class LayeringTest {
  /** What the plugin may use of Phase. */
  static final String[] FACADES = {
    "io.phase.jenkins..",
    "io.phase.core.step..",
    "io.phase.core.discovery..",
    "io.phase.core.receipt..",
    "io.phase.core.client..",
    "io.phase.p2p.peer..",
    "io.phase.p2p.multiaddr.."
  };

  @Test
  void thePluginUsesOnlyThePublicFacades() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.phase.jenkins");
    noClasses()
        .that()
        .resideInAPackage("io.phase.jenkins..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.phase..").and(resideInAnyPackage(FACADES).negate()))
        .check(classes);
  }
}
