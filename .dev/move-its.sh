#!/usr/bin/env bash
# Moves the end-to-end ITs out of src/examples into a test-only module, src/it (kpool-it): the
# examples module keeps the examples, the demo and their unit tests; src/it holds every *IT, the
# fixtures only ITs use (PoolFixture, ClientCluster, the fault clients, the class fixture
# extensions), their resources, and the failsafe configuration (three forks, the serial
# execution, C1-only supervisors, the Python venv and Chromium wiring). Packages stay as they are,
# so fixtures keep their package-private access to the example code they drive.
# Run from anywhere in the checkout, after every branch is merged and after .dev/regroup.sh;
# running it again changes nothing. Needs git, sed, python3.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

from=src/examples/src/test
to=src/it/src/test
warn() { echo "move-its: WARNING: $*" >&2; }

# 1. Every IT and every test source that is neither a unit test nor DocSnippets (the unit tests'
#    helper), with the resources only ITs read.
if [ -d "$from/java" ]; then
  while IFS= read -r -d '' file; do
    name=$(basename "$file")
    case $name in
      *Test.java | DocSnippets.java) continue ;;
    esac
    target=$to/java/${file#"$from"/java/}
    mkdir -p "$(dirname "$target")"
    git mv "$file" "$target"
  done < <(find "$from/java" -name '*.java' -print0 | sort -z)
fi
for resource in junit-platform.properties fault/storm_worker.py; do
  if [ -f "$from/resources/$resource" ]; then
    mkdir -p "$(dirname "$to/resources/$resource")"
    git mv "$from/resources/$resource" "$to/resources/$resource"
  fi
done
find "$from" -type d -empty -delete
# A unit test left behind that names a moved class would no longer compile: say which.
if [ -d "$from/java" ]; then
  for moved in $(find "$to/java" -name '*.java' -exec basename {} .java \;); do
    if grep -rlw --include='*.java' "$moved" "$from/java" >/dev/null 2>&1; then
      warn "$(grep -rlw --include='*.java' "$moved" "$from/java" | tr '\n' ' ')uses $moved, now in $to"
    fi
  done
fi

# 2. Paths and commands that named the ITs' old place.
{ git grep -lz -e 'src/examples/src/test/resources/fault' -- 'src/it/*' || true; } \
  | xargs -0 -r sed -i 's|src/examples/src/test/resources/fault|src/it/src/test/resources/fault|g'
{ git grep -lzE -e 'src/examples/src/test/java|-pl src/examples -am verify' -- '*.md' 'docs/*' || true; } \
  | xargs -0 -r sed -i -E 's|src/examples/src/test/java|src/it/src/test/java|g; s|-pl src/examples -am verify|-pl src/it -am verify|g'
{ git grep -lz -e 'ITs in src/examples\|ITs of src/examples\|`PythonPoolIT` in `src/examples`' -- 'src/python/*' || true; } \
  | xargs -0 -r sed -i -e 's|ITs in src/examples|ITs in src/it|g; s|ITs of src/examples|ITs of src/it|g; s|`PythonPoolIT` in `src/examples`|`PythonPoolIT` in `src/it`|g'

# 3. The module: its pom (unless there is one), and its place in the reactor after examples.
if [ ! -f src/it/pom.xml ]; then
  cat > src/it/pom.xml <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>dev.kpool</groupId>
    <artifactId>kpool-parent</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <relativePath>../../pom.xml</relativePath>
  </parent>

  <artifactId>kpool-it</artifactId>
  <name>kpool integration tests</name>
  <description>End-to-end tests: real brokers, packaged supervisors and worker processes. Test
    code only; nothing is published.</description>

  <properties>
    <it.forks>3</it.forks>
    <maven.deploy.skip>true</maven.deploy.skip>
    <maven.install.skip>true</maven.install.skip>
  </properties>

  <dependencies>
    <!-- The example workers, the demo and LocalCluster/SupervisorProcess, which the ITs drive. -->
    <dependency>
      <groupId>dev.kpool</groupId>
      <artifactId>kpool-examples</artifactId>
      <version>${project.version}</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>dev.kpool</groupId>
      <artifactId>kpool-cli</artifactId>
      <scope>test</scope>
    </dependency>
    <!-- The ITs run the packaged supervisor as a child process: this only orders the reactor so
         that it is built first; none of its classes are used here. -->
    <dependency>
      <groupId>dev.kpool</groupId>
      <artifactId>kpool-supervisor</artifactId>
      <version>${project.version}</version>
      <scope>provided</scope>
      <exclusions>
        <exclusion>
          <groupId>*</groupId>
          <artifactId>*</artifactId>
        </exclusion>
      </exclusions>
    </dependency>
    <!-- The Python ITs run the Python package's scripts on the venv that module's build makes:
         this only orders the reactor. -->
    <dependency>
      <groupId>dev.kpool</groupId>
      <artifactId>kpool-python</artifactId>
      <version>${project.version}</version>
      <type>pom</type>
      <scope>test</scope>
    </dependency>
    <!-- One broker per test JVM (KafkaBrokerExtension), and the broker itself for the ITs that
         start brokers of their own. -->
    <dependency>
      <groupId>dev.kpool</groupId>
      <artifactId>kpool-testkit</artifactId>
      <scope>test</scope>
    </dependency>
    <!-- Lets KafkaBrokerExtension use a container when a Docker engine answers (kpool.test.broker=auto). -->
    <dependency>
      <groupId>org.testcontainers</groupId>
      <artifactId>testcontainers-kafka</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.awaitility</groupId>
      <artifactId>awaitility</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <!-- The client's optional metrics, bound in OperationsEndpointsIT. -->
      <groupId>io.micrometer</groupId>
      <artifactId>micrometer-core</artifactId>
      <scope>test</scope>
    </dependency>
    <!-- DashboardIT drives Debian's chromium through its chromium-driver (.ci/run installs both). -->
    <dependency>
      <groupId>org.seleniumhq.selenium</groupId>
      <artifactId>selenium-chrome-driver</artifactId>
      <version>${selenium.version}</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.seleniumhq.selenium</groupId>
      <artifactId>selenium-support</artifactId>
      <version>${selenium.version}</version>
      <scope>test</scope>
    </dependency>
  </dependencies>

  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-failsafe-plugin</artifactId>
        <configuration>
          <systemPropertyVariables>
            <kpool.home>${maven.multiModuleProjectDirectory}</kpool.home>
            <!-- SupervisorProcess.JVM_OPTIONS_PROPERTY: the suite's supervisors live seconds. -->
            <kpool.supervisor.jvm-options>-XX:TieredStopAtLevel=1</kpool.supervisor.jvm-options>
          </systemPropertyVariables>
        </configuration>
        <executions>
          <!-- Most of an IT's time is spent waiting on processes, timeouts and locks: measured on
               two cores, the CPU time of supervisors, workers and brokers together is under half
               of an IT's wall time. So three JVMs run side by side, each with its own broker
               (KafkaBrokerExtension is one per JVM). -->
          <execution>
            <id>default</id>
            <configuration>
              <forkCount>${it.forks}</forkCount>
              <reuseForks>true</reuseForks>
              <excludedGroups>serial</excludedGroups>
              <summaryFiles>
                <summaryFile>${project.build.directory}/failsafe-reports/failsafe-summary.xml</summaryFile>
                <summaryFile>${project.build.directory}/failsafe-reports/failsafe-summary-serial.xml</summaryFile>
              </summaryFiles>
            </configuration>
          </execution>
          <!-- ITs tagged "serial" assert timings (a rate, a gap, a bound on a round) or kill
               processes in storms: they run afterwards, one class at a time, on a machine that
               runs nothing else of the suite. -->
          <execution>
            <id>serial</id>
            <goals>
              <goal>integration-test</goal>
            </goals>
            <configuration>
              <forkCount>1</forkCount>
              <groups>serial</groups>
              <summaryFile>${project.build.directory}/failsafe-reports/failsafe-summary-serial.xml</summaryFile>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
POM
  git add src/it/pom.xml
fi
python3 - <<'PY'
import re, sys
def warn(msg):
    print("move-its: WARNING: " + msg, file=sys.stderr)

p = "pom.xml"
s = open(p).read()
if "<module>src/it</module>" not in s:
    s = s.replace("    <module>src/examples</module>\n",
                  "    <module>src/examples</module>\n    <module>src/it</module>\n", 1)
    if "<module>src/it</module>" not in s:
        warn("no <module>src/examples</module> in pom.xml: add <module>src/it</module> by hand")
    open(p, "w").write(s)

# The examples pom gives up its failsafe configuration and the dependencies only ITs used.
p = "src/examples/pom.xml"
s = open(p).read()
blocks = [
    r"\n  <properties>\s*<it\.forks>3</it\.forks>\s*</properties>\n",
    r"\n      <plugin>\s*<groupId>org\.apache\.maven\.plugins</groupId>\s*<artifactId>maven-failsafe-plugin</artifactId>.*?\n      </plugin>",
    r"\n    <!-- DashboardIT drives[^\n]*-->\s*<dependency>\s*<groupId>org\.seleniumhq\.selenium</groupId>\s*<artifactId>selenium-chrome-driver</artifactId>.*?</dependency>",
    r"\n    <dependency>\s*<groupId>org\.seleniumhq\.selenium</groupId>\s*<artifactId>selenium-support</artifactId>.*?</dependency>",
    r"\n    <dependency>\s*<!-- The client's optional metrics, bound in OperationsEndpointsIT\. -->.*?</dependency>",
    r"\n    <!-- One broker per test JVM;[^\n]*\n[^\n]*-->\s*<dependency>\s*<groupId>dev\.kpool</groupId>\s*<artifactId>kpool-testkit</artifactId>.*?</dependency>",
    r"\n    <!-- Lets KafkaBrokerExtension use a container[^\n]*-->\s*<dependency>\s*<groupId>org\.testcontainers</groupId>.*?</dependency>",
    r"\n    <!-- The Python ITs run[^\n]*\n[^\n]*-->\s*<dependency>\s*<groupId>dev\.kpool</groupId>\s*<artifactId>kpool-python</artifactId>.*?</dependency>",
]
for block in blocks:
    new, n = re.subn(block, "", s, count=1, flags=re.S)
    if n:
        s = new
    elif "maven-failsafe-plugin" in block and "maven-failsafe-plugin" in s:
        warn("src/examples/pom.xml: its failsafe configuration has changed; move it to src/it/pom.xml by hand")
# Without the failsafe block the <plugins> may hold only the dependency plugin: fine as it is.
open(p, "w").write(s)
PY
git add -A src/examples src/it pom.xml docs src/python '*.md'
echo "move-its: done: $(git diff --cached --shortstat)"
echo "move-its: compile and run one IT: ./mvnw -o -q -B -pl src/it -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=SquareEndToEndIT"
