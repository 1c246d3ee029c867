#!/usr/bin/env bash
# The downstream check: a separate Maven project, as a user would write it, that imports kcp-java's BOM, depends on
# kcp.net, says `requires kcp.net;` and runs a server and a client over loopback (Twofish, so Bouncy Castle must come
# along transitively). It resolves kcp-java from a private local repository holding this checkout's built jars, never
# from ~/.m2 (other builds install the same SNAPSHOT version there); the rest (plugins, Bouncy Castle) comes from a
# hard-linked copy of ~/.m2 and the build runs offline (-o).
# Usage: bench/downstream-check.sh [WORK_DIR]   after `mvn -B package` (examples' DownstreamProjectTest runs it inside
#        `mvn -B verify`). WORK_DIR defaults to examples/target/downstream. Prints DOWNSTREAM OK on success.
# Env:   KCP_SEED_REPO  where plugins and third-party jars are copied from (default ~/.m2/repository).
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"
root="$kcp_root"
version="$(kcp_version)"
read -r _ jh <<< "$(kcp_java_home)"
work="${1:-$root/examples/target/downstream}"
repo="$work/repo"
seed="${KCP_SEED_REPO:-$HOME/.m2/repository}"

# 1. The private local repository: the seed (hard links, so it is instant and takes no space; a plain copy where
#    links cannot cross file systems), minus any kcp-java artifacts, plus this checkout's.
if [ ! -d "$repo" ]; then
  mkdir -p "$work"
  cp -al "$seed" "$repo.tmp" 2>/dev/null || { rm -rf "$repo.tmp"; cp -a "$seed" "$repo.tmp"; }
  mv "$repo.tmp" "$repo"
fi
rm -rf "$repo/io/github/kcpjava"
put() { # put ARTIFACT_ID POM [JAR]: lay out one artifact as `mvn install` would
  local dir="$repo/io/github/kcpjava/$1/$version"
  mkdir -p "$dir"
  cp "$2" "$dir/$1-$version.pom"
  if [ -n "${3:-}" ]; then
    [ -f "$3" ] || { echo "downstream-check: $3 is missing; build first (mvn -B package)" >&2; exit 1; }
    cp "$3" "$dir/$1-$version.jar"
  fi
}
put kcp-java "$root/pom.xml"
put kcp-java-bom "$root/bom/pom.xml"
for m in kcp.core kcp.fec kcp.crypto kcp.net; do
  put "$m" "$root/$m/pom.xml" "$root/$m/target/$m-$version.jar"
done

# 2. The user's project.
app="$work/app"
rm -rf "$app"
mkdir -p "$app/src/main/java/downstream" "$app/.mvn"
# Our build's workaround for Maven on JDK 17 (see .mvn/jvm.config): no jar tool in Maven's JVM.
cp "$root/.mvn/jvm.config" "$app/.mvn/"
cat > "$app/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>downstream</artifactId>
  <version>1.0</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.github.kcpjava</groupId>
        <artifactId>kcp-java-bom</artifactId>
        <version>$version</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.github.kcpjava</groupId>
      <artifactId>kcp.net</artifactId>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-toolchains-plugin</artifactId>
        <version>3.2.0</version>
        <executions><execution><goals><goal>select-jdk-toolchain</goal></goals></execution></executions>
        <configuration><version>[21,)</version></configuration>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
        <configuration><release>21</release></configuration>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.5.2</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-jar-plugin</artifactId>
        <version>3.5.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
        <executions>
          <execution>
            <phase>package</phase>
            <goals><goal>copy-dependencies</goal></goals>
            <configuration>
              <outputDirectory>\${project.build.directory}/lib</outputDirectory>
              <includeScope>runtime</includeScope>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
POM
cat > "$app/src/main/java/module-info.java" <<'JAVA'
module downstream {
    requires kcp.net;
}
JAVA
cat > "$app/src/main/java/downstream/Main.java" <<'JAVA'
package downstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import kcp.net.KcpListener;
import kcp.net.KcpMode;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;

public final class Main {
    public static void main(String[] args) throws Exception {
        SessionOptions options = SessionOptions.builder()
                .mode(KcpMode.FAST)
                .cipherWithPassphrase("twofish", "downstream") // Bouncy Castle's Twofish: must be on the module path
                .fec(10, 3)
                .idleTimeout(Duration.ofSeconds(10))
                .build();
        try (KcpListener server = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options)) {
            Thread echo = Thread.ofVirtual().start(() -> {
                try (KcpSession s = server.accept()) {
                    byte[] buf = new byte[1024];
                    int n = s.read(buf);
                    s.write(buf, 0, n);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            try (KcpSession client = Kcps.dial(server.localAddress(), options)) {
                client.setReadTimeout(Duration.ofSeconds(10));
                client.write("hello from downstream".getBytes(StandardCharsets.UTF_8));
                byte[] back = client.inputStream().readNBytes(21);
                System.out.println("downstream echo: " + new String(back, StandardCharsets.UTF_8));
            }
            echo.join();
            System.out.println("modules: " + KcpSession.class.getModule().getName() + " "
                    + Class.forName("org.bouncycastle.crypto.engines.TwofishEngine").getModule().getName());
        }
        System.out.println("DOWNSTREAM OK");
    }
}
JAVA

# 3. Build it offline against the private repository, then run it on the module path.
(cd "$app" && mvn -B -q -o -Dmaven.repo.local="$repo" package)
"$jh/bin/java" -p "$app/target/downstream-1.0.jar:$app/target/lib" -m downstream/downstream.Main
