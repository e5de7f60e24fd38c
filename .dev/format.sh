#!/usr/bin/env bash
# Formats every module's Java sources with google-java-format (Spotless, as the parent pom
# configures it) and turns on the check that verify runs, so that the tree stays formatted.
# Run last, after every branch is merged and after .dev/regroup.sh and .dev/move-its.sh; running it
# again changes nothing. Works on JDK 17 and 25 (JAVA_HOME picks the JDK).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

./mvnw -o -q -B spotless:apply
sed -i -E 's|<spotless.check.skip>true</spotless.check.skip>|<spotless.check.skip>false</spotless.check.skip>|' pom.xml
./mvnw -o -q -B spotless:check
git add -A -- pom.xml '*.java'
echo "format: $(git diff --cached --shortstat)"
echo "format: formatted and checked; verify now fails on unformatted code (./mvnw spotless:apply fixes it)"
