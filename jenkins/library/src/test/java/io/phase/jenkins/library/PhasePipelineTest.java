package io.phase.jenkins.library;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import com.lesfurets.jenkins.unit.MethodSignature;
import com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * JenkinsPipelineUnit driven from JUnit 5: every test gets a fresh Pipeline whose
 * {@code @Library('phase')} is this module's directory (the library as Jenkins would check it out:
 * its root holds {@code vars/}), and whose steps act on a fresh {@link Agent}.
 */
abstract class PhasePipelineTest extends BasePipelineTest {
  /** The Jenkinsfile that calls phaseRun with {@code params.PHASE_RUN}. */
  private static final String CALL_PHASE_RUN = "callPhaseRun.jenkins";

  @TempDir Path build;

  /** The agent this test's Pipeline runs on. */
  Agent agent;

  private final Map<String, Object> params = new LinkedHashMap<>();

  @BeforeEach
  void setUpPipeline() throws Exception {
    agent = new Agent(build);
    setScriptRoots(
        new String[] {libraryDir().resolve("examples").toString(), pipelinesDir().toString()});
    setUp();
    getHelper().registerSharedLibrary(phaseLibrary());
    step("sh", Map.class, s -> agent.sh((Map<?, ?>) s));
    step("sh", String.class, s -> agent.sh(Map.of("script", String.valueOf(s))));
    step("archiveArtifacts", Map.class, s -> agent.archiveArtifacts((Map<?, ?>) s));
    step("echo", String.class, agent::echo);
    step("checkout", Map.class, agent::checkout);
    step("error", String.class, this::error);
    getBinding().setVariable("env", agent.env());
    getBinding().setVariable("params", params);
    getBinding().setVariable("scm", Map.of("$class", "GitSCM"));
  }

  /** The library's root directory: this module, holding vars/. */
  static Path libraryDir() {
    return Path.of(PhaseCli.requiredProperty("phase.library.dir"));
  }

  private static Path pipelinesDir() throws URISyntaxException {
    return Path.of(PhasePipelineTest.class.getResource("/pipelines/" + CALL_PHASE_RUN).toURI())
        .getParent();
  }

  /** Library 'phase', default version 'master', fetched from the working tree. */
  private LibraryConfiguration phaseLibrary() {
    return LibraryConfiguration.library("phase")
        .defaultVersion("master")
        .allowOverride(true)
        .implicit(false)
        .targetPath(build.resolve("libraries").toString())
        .retriever((repository, version, target) -> List.of(libraryUrl()))
        .build();
  }

  private static URL libraryUrl() {
    try {
      return libraryDir().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mocks the step {@code name(type)} with {@code body}, which gets the step's argument. */
  private void step(String name, Class<?> type, Function<Object, Object> body) {
    getHelper().registerAllowedMethod(MethodSignature.method(name, type), body);
  }

  /** {@code error message}: marks the build failed and stops it, as Jenkins does. */
  private Object error(Object message) {
    updateBuildStatus("FAILURE");
    throw new PipelineError(String.valueOf(message));
  }

  /** Runs the Jenkinsfile {@code name} (from examples/ or the test pipelines). */
  Object runPipeline(String name) {
    return runScript(name);
  }

  /** Runs a Jenkinsfile calling {@code phaseRun(argument)}: a parameter map or a module name. */
  Object phaseRun(Object argument) {
    params.put("PHASE_RUN", argument);
    return runPipeline(CALL_PHASE_RUN);
  }

  /** A phaseRun parameter map, in the given order: {@code parameters("module", "x.wasm", ...)}. */
  static Map<String, Object> parameters(Object... namesAndValues) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return parameters;
  }

  /** The build's result as the steps left it (SUCCESS unless error ran). */
  String buildResult() {
    @SuppressWarnings("unchecked")
    Map<String, Object> currentBuild =
        (Map<String, Object>) getBinding().getVariable("currentBuild");
    return String.valueOf(currentBuild.get("result"));
  }
}
