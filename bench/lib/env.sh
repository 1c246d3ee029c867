# Shared by ./kcp, bench/*.sh and bench/downstream-check.sh (source it; it defines functions and runs nothing).
#   kcp_java_home   prints "<major> <path>" of the first JDK >= 21: $JAVA_HOME, then /usr/lib/jvm/*; fails with a
#                   message naming the caller otherwise.
#   kcp_version     prints the project version, read from the root pom.xml (the <version> after kcp-java's
#                   artifactId), so scripts never hard-code it.
#   kcp_root        the repository root (the directory holding this bench/ folder).

kcp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

kcp_java_home() {
  local j v
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] || continue
    v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
    if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "${v%%.*} $j"; return 0; fi
  done
  echo "$(basename "$0"): no JDK >= 21 found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
  return 1
}

kcp_version() {
  awk '/<artifactId>kcp-java<\/artifactId>/ {found = 1; next}
       found && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' "$kcp_root/pom.xml"
}
