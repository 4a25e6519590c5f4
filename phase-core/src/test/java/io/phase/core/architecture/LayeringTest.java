package io.phase.core.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.phase.core.sandbox.ModuleHash;
import io.phase.core.sandbox.SandboxLimits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of phase-core, checked on its compiled classes. */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.phase.core");
  }

  @Test
  void exposesPlainCountersAndKnowsNoMetricsLibraryNorHttp() {
    noClasses()
        .that()
        .resideInAPackage("io.phase.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.prometheus..", "io.micrometer..", "io.netty.handler.codec.http..")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.phase.core.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void protocolsUseOnlyTheSandboxsVocabulary() {
    noClasses()
        .that()
        .resideInAPackage("io.phase.core.protocol..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.phase.core.sandbox..")
                .and(type(ModuleHash.class).negate())
                .and(type(SandboxLimits.class).negate()))
        .because("the wire protocols must not reach into the sandbox's internals")
        .check(classes);
  }

  @Test
  void jobsDoNotKnowTheMuxer() {
    noClasses()
        .that()
        .resideInAPackage("io.phase.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phase.p2p.yamux..", "io.phase.p2p.noise..", "io.phase.p2p.mss..")
        .because("job protocols run on host.Stream, whatever the transport and muxer")
        .check(classes);
  }
}
