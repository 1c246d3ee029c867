#!/usr/bin/env bash
# Runs kcp.bench's JMH benchmarks on the class path (JMH's generated harness does not need the module
# path). Usage: bench/jmh.sh [JMH args...], e.g. bench/jmh.sh 'Crc32Bench' -prof gc
# Builds kcp.bench and what it needs first unless KCP_NO_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
java_bin() {
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] || continue
    v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
    if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$j/bin/java"; return; fi
  done
  echo "jmh.sh: no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1
}
JAVA="$(java_bin)"
cpfile="$root/kcp.bench/target/jmh.classpath"
if [ "${KCP_NO_BUILD:-0}" != 1 ] || [ ! -f "$cpfile" ]; then
  # Every module of the reactor writes the file; kcp.bench comes last, so its class path stays.
  mvn -B -q -DskipTests -pl kcp.bench -am package dependency:build-classpath \
      -Dmdep.outputFile="$cpfile" -DincludeScope=runtime
fi
cp="kcp.bench/target/classes:$(cat "$cpfile")"
exec "$JAVA" --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main "$@"
