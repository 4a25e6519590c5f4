import com.cloudbees.groovy.cps.NonCPS

/*
 * phaseRun: runs a WebAssembly build step on a worker of the Phase network with the `phase` CLI
 * installed on the agent, streams its output into the build log, and archives the worker's
 * signed receipt (verified by the CLI before it exits) and the output transcript.
 *
 *   phaseRun 'step.wasm'
 *   phaseRun module: 'step.wasm', args: ['--fast'], env: [BUILD_NUMBER: env.BUILD_NUMBER]
 *
 * Parameters, environment and exit statuses: phaseRun.txt (the help Jenkins shows) and the
 * library's README.md. Groovy 2.4 / CPS: call() only runs steps; everything else is a @NonCPS
 * helper that runs no step.
 */

/** The parameters phaseRun accepts, in the order the help lists them. */
@NonCPS
List<String> knownParameters() {
    return ['module', 'args', 'env', 'dir', 'memoryMb', 'timeoutS', 'maxOutputMb', 'worker',
            'retries', 'bootstrap', 'returnStatus']
}

/** {@code phaseRun 'step.wasm'}: the module alone, every other parameter at its default. */
def call(String module) {
    return call([module: module])
}

def call(Map parameters) {
    String problem = parameterProblem(parameters)
    if (problem != null) {
        error('phaseRun: ' + problem)
    }
    String module = parameters.module.toString()
    int number = nextRunNumber(env.PHASE_RUN_COUNT)
    env.PHASE_RUN_COUNT = String.valueOf(number)
    String stem = 'phase-receipts/' + number + '-' + moduleStem(module)
    String receipt = stem + '.receipt.json'
    String transcript = stem + '.transcript.jsonl'
    int status = sh(script: shellScript(parameters, receipt, transcript), returnStatus: true)
    // A run that never reached a worker (no network, bad option, missing module) leaves none.
    archiveArtifacts(artifacts: receipt + ',' + transcript, allowEmptyArchive: true)
    if (status != 0 && parameters.returnStatus != true) {
        error('phaseRun: ' + module + ' failed with status ' + status + ' (' + statusMeaning(status) + ')')
    }
    return status
}

/** What is wrong with the parameters, or null when they can be passed to `phase run`. */
@NonCPS
String parameterProblem(Map parameters) {
    List<String> known = knownParameters()
    for (Object key : parameters.keySet()) {
        if (!(key instanceof CharSequence) || !known.contains(key.toString())) {
            String shown = key instanceof CharSequence ? "'" + key + "'" : describe(key)
            return 'unknown parameter ' + shown + ' (known: ' + known.join(', ') + ')'
        }
    }
    Object module = parameters.module
    if (module == null || (module instanceof CharSequence && module.toString().trim().isEmpty())) {
        return "missing module: name the .wasm file, e.g. phaseRun 'step.wasm' or phaseRun module: 'step.wasm'"
    }
    String problem = textProblem('module', module)
    if (problem != null) {
        return problem
    }
    if (parameters.containsKey('args')) {
        Object args = parameters.args
        if (!(args instanceof List)) {
            return "args must be a list of strings, e.g. args: ['--verbose', 'input.txt'], not " + describe(args)
        }
        for (int i = 0; i < args.size(); i++) {
            problem = wordProblem('args[' + i + ']', args[i])
            if (problem != null) {
                return problem
            }
        }
    }
    if (parameters.containsKey('env')) {
        Object environment = parameters.env
        if (!(environment instanceof Map)) {
            return "env must be a map of variables, e.g. env: [BUILD_NUMBER: '42'], not " + describe(environment)
        }
        for (Object entry : environment.entrySet()) {
            Object name = entry.key
            if (!(name instanceof CharSequence) || !(name.toString() ==~ /[^=\x00]+/)) {
                return 'env names must be non-empty strings without = or NUL, not ' + describe(name)
            }
            problem = wordProblem('env.' + name, entry.value)
            if (problem != null) {
                return problem
            }
        }
    }
    for (String name : ['dir', 'worker']) {
        if (parameters.containsKey(name)) {
            problem = textProblem(name, parameters[name])
            if (problem != null) {
                return problem
            }
        }
    }
    for (String name : ['memoryMb', 'timeoutS', 'maxOutputMb', 'retries']) {
        if (parameters.containsKey(name)) {
            Long value = wholeNumber(parameters[name])
            long least = name == 'retries' ? 0 : 1
            if (value == null || value < least) {
                return name + ' must be a whole number of at least ' + least + ', not ' + describe(parameters[name])
            }
        }
    }
    if (parameters.containsKey('bootstrap')) {
        Object bootstrap = parameters.bootstrap
        if (!(bootstrap instanceof List) && !(bootstrap instanceof CharSequence)) {
            return 'bootstrap must be a list of multiaddrs (or one string of them), not ' + describe(bootstrap)
        }
        if (bootstrap instanceof List) {
            for (int i = 0; i < bootstrap.size(); i++) {
                problem = textProblem('bootstrap[' + i + ']', bootstrap[i])
                if (problem != null) {
                    return problem
                }
            }
        }
        if (bootstrapPeers(bootstrap).isEmpty()) {
            return 'bootstrap names no multiaddr'
        }
    }
    if (parameters.containsKey('returnStatus') && !(parameters.returnStatus instanceof Boolean)) {
        return 'returnStatus must be true or false, not ' + describe(parameters.returnStatus)
    }
    return null
}

/** A problem with a parameter that must be a non-blank string, or null. */
@NonCPS
String textProblem(String name, Object value) {
    if (!(value instanceof CharSequence) || value.toString().trim().isEmpty()) {
        return name + ' must be a non-empty string, not ' + describe(value)
    }
    if (value.toString().indexOf('\u0000') >= 0) {
        return name + ' contains a NUL character'
    }
    return null
}

/** A problem with a guest argument or variable value (a string, number or boolean), or null. */
@NonCPS
String wordProblem(String name, Object value) {
    if (!(value instanceof CharSequence) && !(value instanceof Number) && !(value instanceof Boolean)) {
        return name + ' must be a string, number or boolean, not ' + describe(value)
    }
    if (value.toString().indexOf('\u0000') >= 0) {
        return name + ' contains a NUL character'
    }
    return null
}

/** The value as a whole number (an integer, or a string of digits), or null. */
@NonCPS
Long wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        return ((Number) value).longValue()
    }
    if (value instanceof BigInteger && ((BigInteger) value).bitLength() < 63) {
        return ((BigInteger) value).longValue()
    }
    if (value instanceof CharSequence && value.toString() ==~ /[0-9]{1,18}/) {
        return Long.parseLong(value.toString())
    }
    return null
}

/** How a wrong value is shown in a message: its type, and its text when short. */
@NonCPS
String describe(Object value) {
    if (value == null) {
        return 'null'
    }
    if (value instanceof CharSequence) {
        String text = value.toString()
        return "the string '" + (text.length() > 60 ? text.substring(0, 60) + '...' : text) + "'"
    }
    if (value instanceof Number) {
        return 'the number ' + value
    }
    if (value instanceof Boolean) {
        return value.toString()
    }
    if (value instanceof List) {
        return 'a list'
    }
    if (value instanceof Map) {
        return 'a map'
    }
    return 'a ' + value.getClass().getSimpleName()
}

/** The bootstrap multiaddrs: a list as given, or one string split like PHASE_BOOTSTRAP. */
@NonCPS
List<String> bootstrapPeers(Object bootstrap) {
    List<String> peers = []
    if (bootstrap instanceof List) {
        for (Object peer : bootstrap) {
            peers.add(peer.toString().trim())
        }
    } else {
        for (String peer : bootstrap.toString().split(/[\s,]+/)) {
            if (!peer.isEmpty()) {
                peers.add(peer)
            }
        }
    }
    return peers
}

/** The number of this call within the build: one more than the last (env.PHASE_RUN_COUNT). */
@NonCPS
int nextRunNumber(Object previous) {
    String text = previous == null ? '' : previous.toString()
    return text ==~ /[0-9]{1,9}/ ? Integer.parseInt(text) + 1 : 1
}

/** The module's file name without directories and .wasm, reduced to characters safe in paths. */
@NonCPS
String moduleStem(String module) {
    String name = module.substring(module.lastIndexOf('/') + 1)
    if (name.toLowerCase().endsWith('.wasm')) {
        name = name.substring(0, name.length() - 5)
    }
    name = name.replaceAll(/[^A-Za-z0-9._-]/, '_').replaceAll(/^[.]+/, '')
    if (name.length() > 64) {
        name = name.substring(0, 64)
    }
    return name.isEmpty() ? 'module' : name
}

/**
 * The sh script: find the launcher ($PHASE, else phase on the PATH), clear this call's receipt
 * and transcript (a reused workspace may hold a previous build's), run `phase run` with the
 * options before the module and the guest's arguments after it, every word single-quoted.
 */
@NonCPS
String shellScript(Map parameters, String receipt, String transcript) {
    List<String> words = ['run', '--receipt', receipt, '--transcript', transcript]
    if (parameters.containsKey('bootstrap')) {
        for (String peer : bootstrapPeers(parameters.bootstrap)) {
            words.add('--bootstrap')
            words.add(peer)
        }
    }
    if (parameters.containsKey('env')) {
        for (Object entry : parameters.env.entrySet()) {
            words.add('--env')
            words.add(entry.key.toString() + '=' + entry.value.toString())
        }
    }
    Map<String, String> options = [dir: '--dir', memoryMb: '--memory-mb', timeoutS: '--timeout-s',
                                   maxOutputMb: '--max-output-mb', worker: '--worker', retries: '--retries']
    for (Map.Entry<String, String> option : options.entrySet()) {
        if (parameters.containsKey(option.key)) {
            words.add(option.value)
            words.add(parameters[option.key].toString())
        }
    }
    String module = parameters.module.toString()
    // A module named like an option would be read as one.
    words.add(module.startsWith('-') ? './' + module : module)
    if (parameters.containsKey('args')) {
        for (Object arg : parameters.args) {
            words.add(arg.toString())
        }
    }
    StringBuilder command = new StringBuilder('"$phase_cli"')
    for (String word : words) {
        command.append(' ').append(shellQuote(word))
    }
    return [
        'phase_cli="${PHASE:-phase}"',
        'case "$phase_cli" in */*) [ -f "$phase_cli" ] && [ -x "$phase_cli" ] ;; *) command -v "$phase_cli" >/dev/null 2>&1 ;; esac || {',
        '  echo "phaseRun: cannot run the phase CLI \'$phase_cli\' on this agent: install it on the PATH or set PHASE to its launcher" >&2',
        '  exit 125',
        '}',
        'mkdir -p phase-receipts && rm -f ' + shellQuote(receipt) + ' ' + shellQuote(transcript) + ' || exit 125',
        command.toString(),
        ''
    ].join('\n')
}

/** The word in single quotes for sh: every character literal, a ' written as '"'"'. */
@NonCPS
String shellQuote(String word) {
    return "'" + word.replace("'", "'\"'\"'") + "'"
}

/** What a non-zero status of `phase run` means (README, "exit status"). */
@NonCPS
String statusMeaning(int status) {
    switch (status) {
        case 121: return 'no bootstrap peer could be reached'
        case 122: return 'no worker ran the job: none found, or every attempt refused or lost'
        case 123: return "the worker's receipt or output failed verification"
        case 124: return 'timed out'
        case 125: return 'phase itself failed: bad option, unreadable file, key or workspace problem'
        case 126: return 'invalid module: not WASM, malformed, no _start, unknown imports or too large'
        case 127: return 'module file not found'
        case 130: return 'cancelled'
        case 134: return 'the guest trapped'
        case 137: return 'memory limit'
        case 141: return 'output limit'
        default: return "the guest's exit code"
    }
}
