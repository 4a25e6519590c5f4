package io.phase.jenkins;

import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The {@code phaseRun} Pipeline step: runs a WebAssembly module from the workspace on a Phase
 * worker, streams its output to the build log and keeps its verified receipt with the build. {@code
 * phaseRun 'step.wasm'} or {@code phaseRun module: 'step.wasm', args: [...], env: [K: 'V'], dir:
 * 'ws', memoryMb: 256, timeoutS: 600, maxOutputMb: 16, worker: '12D3KooW...', retries: 2,
 * returnStatus: false}. Returns the status (0 unless {@code returnStatus}).
 */
public class PhaseRunStep extends Step {

  private final String module;
  private List<String> args = new ArrayList<>();
  private Map<String, String> env = new LinkedHashMap<>();
  private String dir;
  private Integer memoryMb;
  private Long timeoutS;
  private Long maxOutputMb;
  private String worker;
  private Integer retries;
  private boolean returnStatus;

  @DataBoundConstructor
  public PhaseRunStep(String module) {
    this.module = module;
  }

  public String getModule() {
    return module;
  }

  public List<String> getArgs() {
    return new ArrayList<>(args);
  }

  @DataBoundSetter
  public void setArgs(List<String> args) {
    this.args = args == null ? new ArrayList<>() : new ArrayList<>(args);
  }

  public Map<String, String> getEnv() {
    return new LinkedHashMap<>(env);
  }

  /**
   * The guest's environment. Not a data-bound setter: Pipeline's data binding has no map type, so
   * {@link DescriptorImpl#newInstance(Map)} takes {@code env} from the arguments itself.
   */
  public void setEnv(Map<String, String> env) {
    this.env = env == null ? new LinkedHashMap<>() : new LinkedHashMap<>(env);
  }

  public String getDir() {
    return dir;
  }

  /** A directory of the workspace sent as the guest's {@code /work}. */
  @DataBoundSetter
  public void setDir(String dir) {
    this.dir = dir == null || dir.isBlank() ? null : dir;
  }

  public Integer getMemoryMb() {
    return memoryMb;
  }

  @DataBoundSetter
  public void setMemoryMb(Integer memoryMb) {
    this.memoryMb = memoryMb;
  }

  public Long getTimeoutS() {
    return timeoutS;
  }

  @DataBoundSetter
  public void setTimeoutS(Long timeoutS) {
    this.timeoutS = timeoutS;
  }

  public Long getMaxOutputMb() {
    return maxOutputMb;
  }

  @DataBoundSetter
  public void setMaxOutputMb(Long maxOutputMb) {
    this.maxOutputMb = maxOutputMb;
  }

  public String getWorker() {
    return worker;
  }

  /** Run only on this worker (a peer id). */
  @DataBoundSetter
  public void setWorker(String worker) {
    this.worker = worker == null || worker.isBlank() ? null : worker.strip();
  }

  public Integer getRetries() {
    return retries;
  }

  @DataBoundSetter
  public void setRetries(Integer retries) {
    this.retries = retries;
  }

  public boolean isReturnStatus() {
    return returnStatus;
  }

  /** Return the guest's status instead of failing when it is not 0. */
  @DataBoundSetter
  public void setReturnStatus(boolean returnStatus) {
    this.returnStatus = returnStatus;
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    return new PhaseRunExecution(context, this);
  }

  /** The step's name, context and argument binding. */
  @Extension
  public static class DescriptorImpl extends StepDescriptor {
    @Override
    public String getFunctionName() {
      return "phaseRun";
    }

    @Override
    public String getDisplayName() {
      return "Run a WebAssembly step on a Phase worker";
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class, FilePath.class);
    }

    /** Binds every argument but {@code env}, which it checks and sets itself. */
    @Override
    public Step newInstance(Map<String, Object> arguments) throws Exception {
      Map<String, Object> rest = new HashMap<>(arguments);
      Object env = rest.remove("env");
      PhaseRunStep step = (PhaseRunStep) super.newInstance(rest);
      step.setEnv(StepArguments.env(env));
      return step;
    }
  }
}
