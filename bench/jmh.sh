#!/usr/bin/env bash
# Runs kcp.bench's JMH benchmarks on the class path (JMH's generated harness does not need the module
# path). Usage: bench/jmh.sh [JMH args...], e.g. bench/jmh.sh 'Crc32Bench' -prof gc
# Builds kcp.bench and what it needs first unless KCP_NO_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. "$root/bench/lib/env.sh"   # kcp_java_home
read -r _ JH <<< "$(kcp_java_home)"
JAVA="$JH/bin/java"
cpfile="$root/kcp.bench/target/jmh.classpath"
if [ "${KCP_NO_BUILD:-0}" != 1 ] || [ ! -f "$cpfile" ]; then
  # Every module of the reactor writes the file; kcp.bench comes last, so its class path stays.
  mvn -B -q -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip -Dcheckstyle.skip \
      -pl kcp.bench -am package dependency:build-classpath \
      -Dmdep.outputFile="$cpfile" -DincludeScope=runtime
fi
cp="kcp.bench/target/classes:$(cat "$cpfile")"
# --add-opens and --enable-native-access: UDP segmentation and receive offload in kcp.net (decisions.md, "UDP
# segmentation offload", "UDP receive offload"); JMH forks inherit them.
exec "$JAVA" --add-modules jdk.incubator.vector --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --enable-native-access=ALL-UNNAMED -cp "$cp" \
    org.openjdk.jmh.Main "$@"
