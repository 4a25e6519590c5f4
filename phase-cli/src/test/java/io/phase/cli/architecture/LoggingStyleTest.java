package io.phase.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * One logging style across phase-p2p, phase-core and phase-cli (this module sees all three): each
 * class logs through {@code private static final Logger LOG}, and every line starts with a
 * snake_case event name ({@code area_event key=value ...}), as docs/cli.md says.
 */
class LoggingStyleTest {
  /** A log call whose message starts with a dotted or otherwise non-snake_case event name. */
  private static final Pattern BAD_EVENT =
      Pattern.compile(
          "\\bLOG\\s*\\.\\s*(?:trace|debug|info|warn|error)\\(\\s*\"(?![a-z][a-z0-9_]*[ \"])([^\" ]*)");

  @Test
  void loggersAreStaticFinalFieldsNamedLog() {
    fields()
        .that()
        .haveRawType(Logger.class)
        .should()
        .bePrivate()
        .andShould()
        .beStatic()
        .andShould()
        .beFinal()
        .andShould()
        .haveName("LOG")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.phase.p2p", "io.phase.core", "io.phase.cli"));
  }

  @Test
  void eventNamesAreSnakeCase() throws IOException {
    List<String> bad = new ArrayList<>();
    for (String module : List.of("../phase-p2p", "../phase-core", ".")) {
      Path sources = Path.of(module, "src/main/java");
      assertTrue(Files.isDirectory(sources), sources + " is missing");
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = BAD_EVENT.matcher(Files.readString(f));
          while (m.find()) {
            bad.add(f.getFileName() + ": " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), bad);
  }
}
