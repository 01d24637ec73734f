# Shared by bin/nlstream and bin/test: install what is missing on a Debian machine, build when stale.
# shellcheck shell=bash

NLSTREAM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

nls_log() { echo "nlstream: $*" >&2; }

nls_as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    nls_log "need root to run: $*"; return 1; fi
}

# nls_require_packages CMD_OR_LIB:PACKAGE ...   e.g. java:openjdk-17-jdk-headless lib:libmnl.so.0:libmnl0 py:MODULE:PACKAGE
nls_require_packages() {
  local missing=() spec what pkg
  for spec in "$@"; do
    what=${spec%:*}; pkg=${spec##*:}
    case $what in
      # not "ldconfig -p | grep -q": grep -q exits at the first match and, under pipefail, ldconfig's SIGPIPE
      # would make a present library look missing
      lib:*) [[ $(ldconfig -p 2>/dev/null) == *"${what#lib:}"* ]] || missing+=("$pkg") ;;
      # a Python module from a Debian package: Debian's python3, not one a PATH (pyenv) puts first (MetricsKernelIT
      # parses /metrics with prometheus_client's parser)
      py:*) /usr/bin/python3 -c "import ${what#py:}" >/dev/null 2>&1 || missing+=("$pkg") ;;
      *) command -v "$what" >/dev/null 2>&1 || missing+=("$pkg") ;;
    esac
  done
  ((${#missing[@]})) || return 0
  nls_log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  nls_as_root apt-get update -qq >&2 || nls_log "apt-get update failed; trying the install anyway"
  nls_as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

nls_java_17_or_newer() {
  local v java release
  # the JDK's release file says its version without starting a JVM (a JVM just to ask costs every command
  # 0.2-0.3 s); a java without one is asked
  java=$(readlink -f "$(command -v java)" 2>/dev/null) || java=
  release=${java%/bin/java}/release
  if [[ -n $java && -r $release ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  fi
  [[ -n $v && ${v%%.*} -ge 17 ]]
}

nls_require_build_tools() {
  nls_require_packages java:openjdk-17-jdk-headless javac:openjdk-17-jdk-headless mvn:maven
  if ! nls_java_17_or_newer; then
    nls_require_packages /usr/lib/jvm/java-17-openjdk-amd64/bin/java:openjdk-17-jdk-headless
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:$PATH
  fi
}

# An installed copy (README "Deployment": /opt/nlstream, the container image) is bin/ beside lib/, which holds
# every jar, without the sources (no pom.xml); a checkout builds its jars into monitor/target.
if [[ ! -f $NLSTREAM_ROOT/pom.xml ]]; then
  NLSTREAM_INSTALLED=1
  NLSTREAM_JAR=$NLSTREAM_ROOT/lib/nlstream-monitor.jar
  NLSTREAM_CLASSPATH="$NLSTREAM_ROOT/lib/*"
  NLSTREAM_CDS=$NLSTREAM_ROOT/lib/nlstream.jsa
else
  NLSTREAM_INSTALLED=0
  NLSTREAM_JAR=$NLSTREAM_ROOT/monitor/target/nlstream-monitor.jar
  NLSTREAM_CLASSPATH="$NLSTREAM_JAR:$NLSTREAM_ROOT/monitor/target/lib/*"
  # Class-data sharing: the classes a reader loads (Chronicle's among them), archived once per build, so a
  # query's JVM starts in about half the time.
  NLSTREAM_CDS=$NLSTREAM_ROOT/monitor/target/nlstream.jsa
fi

# Whether the launcher may install (apt-get) and build (mvn) what is missing: in a checkout, unless
# NLSTREAM_NO_SETUP=1. An installed copy is the installer's to provide and may be read-only (systemd's
# ProtectSystem=strict, a container's read-only root): nothing is installed, built or written there.
nls_setup_wanted() { [[ $NLSTREAM_INSTALLED == 0 && ${NLSTREAM_NO_SETUP:-} != 1 ]]; }

# Without set-up: says what is missing (Java 17, the jars) and fails, rather than going to apt-get or Maven.
# libmnl is the JVM's to report when capture loads it (only run needs it).
nls_require_installed() {
  local missing=() why="NLSTREAM_NO_SETUP=1: build with mvn -B -Dmaven.test.skip=true package"
  nls_java_17_or_newer || missing+=("Java 17 or newer as java on PATH (Debian: openjdk-17-jre-headless)")
  [[ -f $NLSTREAM_JAR ]] || missing+=("$NLSTREAM_JAR")
  ((${#missing[@]})) || return 0
  if ((NLSTREAM_INSTALLED)); then why="an installed copy: README \"Deployment\" lists what goes in $NLSTREAM_ROOT"; fi
  local list; list=$(printf '%s, ' "${missing[@]}")
  nls_log "error: missing ${list%, }; nothing is installed or built ($why)"
  return 1
}

# Builds the launcher's jar and its libraries when missing or older than any source or pom.
nls_build_if_stale() {
  local stale=0
  if [[ ! -f $NLSTREAM_JAR || ! -d $NLSTREAM_ROOT/monitor/target/lib ]]; then stale=1
  elif [[ -n $(find "$NLSTREAM_ROOT" -path "$NLSTREAM_ROOT/.git" -prune -o \
        \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$NLSTREAM_JAR" -print -quit) ]]; then stale=1
  fi
  ((stale)) || return 0
  nls_log "building (mvn package, tests skipped; bin/test runs them)"
  mkdir -p "$NLSTREAM_ROOT/monitor/target"
  (
    flock 9
    cd "$NLSTREAM_ROOT" && mvn -B -q -Dmaven.test.skip=true package >&2
  ) 9>"$NLSTREAM_ROOT/monitor/target/.build.lock"
}

# The launcher's heap and collector, and a loud end on OutOfMemoryError: a message on stderr and exit code 3
# (the JVM's own code for ExitOnOutOfMemoryError), so a supervisor restarts the process instead of leaving a
# live one that does nothing. The JVM's own lines about it go to stderr too (stdout carries only events).
NLSTREAM_HEAP_FLAGS=(
  -Xms128m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  # readers' object tables are large arrays read at random: huge pages spare them a TLB miss per lookup
  -XX:+UseTransparentHugePages
  -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
  "-XX:OnOutOfMemoryError=echo \"nlstream: error: out of memory: the Java heap is full (the launcher gives -Xmx1g, raise it with NLSTREAM_JAVA_OPTS=-Xmx2g), exiting with code 3\" >&2"
)

# Makes the class-data archive when missing or older than the jar: one replay of the fixture journal kept in
# the test resources (a real kernel-made journal), with -XX:ArchiveClassesAtExit. Failing is not fatal: the JVM
# then starts without it.
nls_cds_archive_if_stale() {
  [[ -f $NLSTREAM_CDS && $NLSTREAM_CDS -nt $NLSTREAM_JAR ]] && return 0
  local fixture=$NLSTREAM_ROOT/monitor/src/test/resources/journals/v1-kernel/journal.tar.gz tmp
  [[ -f $fixture ]] || return 0
  (
    flock 9
    [[ -f $NLSTREAM_CDS && $NLSTREAM_CDS -nt $NLSTREAM_JAR ]] && exit 0
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    tar -C "$tmp" -xzf "$fixture"
    java "${NLSTREAM_HEAP_FLAGS[@]}" "${NLSTREAM_JVM_FLAGS[@]}" -XX:ArchiveClassesAtExit="$NLSTREAM_CDS.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -cp "$NLSTREAM_CLASSPATH" io.nlstream.monitor.cli.Main replay --journal "$tmp/journal" --format json 2>/dev/null | cat >/dev/null \
      && mv "$NLSTREAM_CDS.tmp" "$NLSTREAM_CDS" || rm -f "$NLSTREAM_CDS.tmp"
  ) 9>"$NLSTREAM_ROOT/monitor/target/.build.lock"
}

nls_cds_flags() {
  [[ -f $NLSTREAM_CDS ]] && printf '%s\n' "-XX:SharedArchiveFile=$NLSTREAM_CDS" -Xlog:cds=off -Xlog:cds+dynamic=off
  return 0
}

# Chronicle Queue on Java 17 needs these opens/exports; the sidecar never phones home.
NLSTREAM_JVM_FLAGS=(
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  -Dchronicle.analytics.disable=true
  -Dchronicle.announcer.disable=true
  -Djvm.resource.tracing=false
)
