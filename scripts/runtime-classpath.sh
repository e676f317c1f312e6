# Sourced by the scripts that run a Java main from this working tree (grokstream-train, grokstream-bench-train,
# grokstream-bench-analysis); not a command of its own. Needs ROOT.

# one Maven build at a time on this machine
lock() { if command -v flock >/dev/null; then flock /tmp/grokstream-mvn.lock "$@"; else "$@"; fi; }

# runtime_classpath MODULE MAIN [MODULE...]: the classpath that runs MAIN from this working tree: MODULE's
# target/classes, then each further module's (the code it runs: this tree's, ahead of the jar installed in ~/.m2),
# then MODULE's runtime dependencies. Builds MODULE and what it uses once if MAIN or a further module's classes are
# missing; resolves the dependencies once (Maven offline) and caches them in MODULE/target/runtime.classpath, again
# when one of the modules' pom.xml is newer.
# Callers hand it to java as CLASSPATH, not -cp: ONNX Runtime 1.29's native start-up crashed the JVM (SIGSEGV) when
# the command line passed about 4 KiB (bench's classpath: a 4,506-character command line crashed, 3,888 did not).
runtime_classpath() {
  local module=$1 main=$2; shift 2
  local cp_file="$ROOT/$module/target/runtime.classpath" build=0 stale=0 m cp
  [[ -f "$ROOT/$module/target/classes/${main//.//}.class" ]] || build=1
  for m in "$@"; do [[ -d "$ROOT/$m/target/classes" ]] || build=1; done
  if (( build )); then
    echo "grokstream: building $module and the modules it uses (once)" >&2
    (cd "$ROOT" && lock ./mvnw -o -B -q -pl "$module" -am install -DskipTests) >&2
  fi
  [[ -s $cp_file ]] || stale=1
  for m in "$module" "$@"; do [[ "$ROOT/$m/pom.xml" -nt "$cp_file" ]] && stale=1; done
  if (( stale )); then
    echo "grokstream: resolving $module's classpath (once)" >&2
    (cd "$ROOT" && lock ./mvnw -o -B -q -pl "$module" dependency:build-classpath \
        -DincludeScope=runtime -Dmdep.outputFile=target/runtime.classpath) >&2
    touch "$cp_file"   # the plugin leaves an unchanged file alone; mark it fresh
  fi
  cp="$ROOT/$module/target/classes"
  for m in "$@"; do cp+=":$ROOT/$m/target/classes"; done
  echo "$cp:$(cat "$cp_file")"
}
