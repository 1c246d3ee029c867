# Shared by ./kcp, bench/*.sh and bench/downstream-check.sh (source it; it defines functions and runs nothing).
#   kcp_java_home   prints "<major> <path>" of the first JDK >= 21: $JAVA_HOME, then /usr/lib/jvm/*; fails with a
#                   message naming the caller otherwise.
#   kcp_version     prints the project version, read from the root pom.xml (the <version> after kcp-java's
#                   artifactId), so scripts never hard-code it.
#   kcp_root        the repository root (the directory holding this bench/ folder).
#   kcp_ratio_summary NAME
#                   reads per-round Java/Go ratios on stdin, one per line, and prints
#                   "NAME: median java/go M (spread MIN..MAX, N rounds)", the races' summary line.
#   kcp_go_test DIR builds kcp-go 5.6.1's test binary (its benchmarks) from Debian's source as DIR/kcp-go.test, in a
#                   private GOPATH under DIR; fails if the source is missing or does not build.

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

kcp_go_test() {
  local dir="$1" src=/usr/share/gocode/src/github.com/xtaci/kcp-go gp="$1/gopath"
  [ -d "$src" ] || { echo "$(basename "$0"): $src missing (apt-get install golang-github-xtaci-kcp-dev)" >&2; return 1; }
  rm -rf "$gp/src/github.com/xtaci/kcp-go"; mkdir -p "$gp/src/github.com/xtaci"
  cp -r "$src" "$gp/src/github.com/xtaci/kcp-go"
  # Debian ships no testify; the tests that import it (autotune) are not the benchmarks we want.
  grep -l 'stretchr/testify' "$gp/src/github.com/xtaci/kcp-go/"*_test.go | xargs -r rm -f
  (cd "$gp/src/github.com/xtaci/kcp-go" && GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$gp:/usr/share/gocode" \
      GOCACHE="$dir/gocache" go test -c -o "$dir/kcp-go.test" .)
}

kcp_ratio_summary() {
  sort -g | awk -v n="$1" '{a[NR] = $1}
    END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
         printf "%s: median java/go %.2f (spread %.2f..%.2f, %d rounds)\n", n, m, a[1], a[NR], NR}'
}
