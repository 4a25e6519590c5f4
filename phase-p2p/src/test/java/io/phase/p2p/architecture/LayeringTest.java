package io.phase.p2p.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of phase-p2p, checked on its compiled classes. */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.phase.p2p");
  }

  @Test
  void libp2pKnowsNothingOfJobs() {
    noClasses()
        .that()
        .resideInAPackage("io.phase.p2p..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.phase.core..")
        .check(classes);
  }

  @Test
  void exposesPlainCountersAndKnowsNoMetricsLibraryNorHttp() {
    noClasses()
        .that()
        .resideInAPackage("io.phase.p2p..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.prometheus..", "io.micrometer..", "io.netty.handler.codec.http..")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.phase.p2p.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void protocolsDoNotKnowTheMuxer() {
    noClasses()
        .that()
        .resideInAnyPackage("io.phase.p2p.kad..", "io.phase.p2p.ping..", "io.phase.p2p.identify..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.phase.p2p.yamux..")
        .because("protocols run over any muxer through host.Stream")
        .check(classes);
  }

  @Test
  void kadPartsAreLayered() {
    // routing <- wire <- store <- the service in io.phase.p2p.kad; never the other way round.
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.phase.p2p.kad.routing..", "io.phase.p2p.kad.wire..", "io.phase.p2p.kad.store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.phase.p2p.kad")
        .because("the routing table, the wire format and the stores know nothing of the service")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.phase.p2p.kad.routing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phase.p2p.kad.wire..", "io.phase.p2p.kad.store..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.phase.p2p.kad.wire..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.phase.p2p.kad.store..")
        .check(classes);
  }
}
