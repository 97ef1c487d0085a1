#!/usr/bin/env bash
# Builds the trimmed Java runtime of the image.
#   build-runtime.sh JAVA_HOME JARS_DIR OUT_DIR
# The JDK modules are those jdeps finds in the shipped jars, plus EXTRA_MODULES: modules that
# libraries reach only by reflection or ServiceLoader, which jdeps cannot see.
set -euo pipefail
java_home=$1 jars=$2 out=$3

# jdk.unsupported: sun.misc.Unsafe, used reflectively by Jackson, Helidon and SQLite's loader.
# jdk.zipfs: plugins that read their own jars as file systems.
# jdk.management: com.sun.management MXBeans (process CPU, memory) for metrics.
# java.sql.rowset: required by sqlite-jdbc's module descriptor, which jdeps does not follow.
# jdk.crypto.cryptoki is not needed: TLS uses the providers in java.base.
EXTRA_MODULES=jdk.unsupported,jdk.zipfs,jdk.management,java.sql.rowset

# The jars run on the module path, so they are analysed there (our module-infos require
# automatic modules by name, which class-path analysis cannot resolve).
mods=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 21 \
        --module-path "$jars" --add-modules ALL-MODULE-PATH)
mods="$mods,$EXTRA_MODULES"
echo "build-runtime: JDK modules: $mods"

rm -rf "$out"
"$java_home/bin/jlink" --add-modules "$mods" --output "$out" \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6
# Native debug symbols are dead weight in a server image (libjvm.so alone: 30 MB -> 25 MB).
if command -v strip >/dev/null 2>&1; then
  find "$out" -name '*.so' -exec strip --strip-unneeded {} +
fi
# No default CDS archive (lib/server/classes.jsa, 14 MB): the application's AOT cache, made by
# distribution/assemble.sh, holds the JDK classes too.
echo "$mods" > "$out/orchestrator-jdk-modules.txt"
du -sh "$out"
