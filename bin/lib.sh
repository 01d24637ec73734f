# Shared by bin/nlstream and bin/test: install what is missing on a Debian machine, build when stale.
# shellcheck shell=bash

NLSTREAM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

nls_log() { echo "nlstream: $*" >&2; }

nls_as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    nls_log "need root to run: $*"; return 1; fi
}

# nls_require_packages CMD_OR_LIB:PACKAGE ...   e.g. java:openjdk-17-jdk-headless lib:libmnl.so.0:libmnl0
nls_require_packages() {
  local missing=() spec what pkg
  for spec in "$@"; do
    what=${spec%:*}; pkg=${spec##*:}
    case $what in
      # not "ldconfig -p | grep -q": grep -q exits at the first match and, under pipefail, ldconfig's SIGPIPE
      # would make a present library look missing
      lib:*) [[ $(ldconfig -p 2>/dev/null) == *"${what#lib:}"* ]] || missing+=("$pkg") ;;
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
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [[ -n $v && ${v%%.*} -ge 17 ]]
}

nls_require_build_tools() {
  nls_require_packages java:openjdk-17-jdk-headless javac:openjdk-17-jdk-headless mvn:maven
  if ! nls_java_17_or_newer; then
    nls_require_packages /usr/lib/jvm/java-17-openjdk-amd64/bin/java:openjdk-17-jdk-headless
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:$PATH
  fi
}

NLSTREAM_JAR=$NLSTREAM_ROOT/monitor/target/nlstream-monitor.jar

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
