package io.phase.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Every view and help file of the plugin is well-formed XML, its namespaces declared. */
class ResourcesWellFormedTest {
  /** The views, from this module or from plugin/ (whose build reads the parent's sources). */
  private static final Path RESOURCES =
      Files.isDirectory(Paths.get("src/main/resources"))
          ? Paths.get("src/main/resources")
          : Paths.get("../src/main/resources");

  @Test
  void everyJellyAndHelpFileParses() throws Exception {
    List<Path> files = viewFiles(RESOURCES);
    assertTrue(files.size() >= 25, "found only " + files);
    for (Path file : files) {
      parse(file);
    }
  }

  @Test
  void everyFieldOfTheFormsHasHelp() throws Exception {
    for (String cloudField :
        List.of(
            "name",
            "bootstrapText",
            "listenAddress",
            "allowedWorkersText",
            "memoryMb",
            "timeoutS",
            "maxOutputMb",
            "retries",
            "discoveryTimeoutS")) {
      assertTrue(
          Files.isRegularFile(
              RESOURCES.resolve("io/phase/jenkins/PhaseCloud/help-" + cloudField + ".html")),
          cloudField);
    }
    for (String stepField :
        List.of(
            "module",
            "args",
            "env",
            "dir",
            "memoryMb",
            "timeoutS",
            "maxOutputMb",
            "worker",
            "retries",
            "returnStatus")) {
      assertTrue(
          Files.isRegularFile(
              RESOURCES.resolve("io/phase/jenkins/PhaseRunStep/help-" + stepField + ".html")),
          stepField);
    }
  }

  @Test
  void aBrokenFileFails(@TempDir Path dir) throws IOException {
    Path unclosed = dir.resolve("unclosed.jelly");
    Files.writeString(unclosed, "<j:jelly xmlns:j=\"jelly:core\"><div></j:jelly>");
    assertThrows(SAXException.class, () -> parse(unclosed));
    Path undeclared = dir.resolve("undeclared.jelly");
    Files.writeString(undeclared, "<j:jelly><l:layout/></j:jelly>");
    assertThrows(SAXException.class, () -> parse(undeclared));
    Path ampersand = dir.resolve("help-x.html");
    Files.writeString(ampersand, "<div>a & b</div>");
    assertThrows(SAXException.class, () -> parse(ampersand));
    assertEquals(3, viewFiles(dir).size());
  }

  @Test
  void jellyViewsEscapeByDefault() throws IOException {
    for (Path file : viewFiles(RESOURCES)) {
      if (file.toString().endsWith(".jelly")) {
        assertTrue(
            Files.readString(file).startsWith("<?jelly escape-by-default='true'?>"),
            file + " must start with <?jelly escape-by-default='true'?>");
      }
    }
  }

  @Test
  void helpFilesHoldNoScript() throws IOException {
    for (Path file : viewFiles(RESOURCES)) {
      assertFalse(Files.readString(file).contains("<script"), file.toString());
    }
  }

  private static List<Path> viewFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".jelly") || name.endsWith(".html");
              })
          .sorted()
          .toList();
    }
  }

  static Document parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(
        new ErrorHandler() {
          @Override
          public void warning(SAXParseException e) {}

          @Override
          public void error(SAXParseException e) throws SAXException {
            throw e;
          }

          @Override
          public void fatalError(SAXParseException e) throws SAXException {
            throw e;
          }
        });
    try {
      return builder.parse(file.toFile());
    } catch (SAXParseException e) {
      throw new SAXException(file + ":" + e.getLineNumber() + ": " + e.getMessage(), e);
    }
  }
}
