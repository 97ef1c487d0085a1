#!/usr/bin/env bash
# Assembles the runtime image and its tarball.
#   assemble.sh RUNTIME_DIR APP_JARS_DIR TARGET_DIR VERSION BUILD_JAVA_HOME
# Result: TARGET_DIR/orchestrator/ (bin/orchestrator, bin/java, app/*.jar, lib/orchestrator.aot,
# conf/orchestrator.yaml, plugins/) and TARGET_DIR/orchestrator-VERSION-linux-x64.tar.gz.
set -euo pipefail
runtime=$1 jars=$2 target=$3 version=$4 build_java=$5
here=$(cd "$(dirname "$0")" && pwd)
image=$target/orchestrator

rm -rf "$image"
cp -a "$runtime" "$image"
mkdir -p "$image/app" "$image/plugins"
cp "$jars"/*.jar "$image/app/"
# sqlite-jdbc carries native libraries for 25 platforms; the image runs on one (13 MB saved).
# That one is also unpacked into lib/, where the launcher points sqlite-jdbc
# (-Dorg.sqlite.lib.path), so it is not extracted to /tmp again at every start.
for jar in "$image"/app/sqlite-jdbc-*.jar; do
  "$build_java/bin/java" "$here/src/build/StripNatives.java" "$jar" Linux/x86_64
  (cd "$image/lib" && "$build_java/bin/jar" --extract --file "$jar" org/sqlite/native/Linux/x86_64/libsqlitejdbc.so \
    && mv org/sqlite/native/Linux/x86_64/libsqlitejdbc.so . && rm -r org)
done
install -m 0755 "$here/src/bin/orchestrator" "$image/bin/orchestrator"
cp "$here/src/plugins/README.md" "$image/plugins/README.md"
# The config file server and agent read by default: every key commented out, with its default.
mkdir -p "$image/conf"
cp "$here/src/conf/orchestrator.yaml" "$image/conf/orchestrator.yaml"
# systemd units for server and agent, and their environment file (docs/operations.md).
mkdir -p "$image/systemd"
cp "$here/src/systemd/"* "$image/systemd/"

# `orchestrator --version` (and `version`) print this line, written here by the Java command
# itself, without starting a JVM: the launcher reads it (see docs/packaging.md).
"$image/bin/orchestrator" version --client | tee "$image/lib/orchestrator.version"

# AOT cache (JEP 483): one training run of the server start-up path, then the cache is
# used by every launch. A failed training run only costs start-up time, so it warns, not fails.
# Two steps (record, then create), each through the launcher: the one-step -XX:AOTCacheOutput
# (JEP 514) creates the cache in a child JVM, which does not inherit the launcher's descriptor
# of the image directory and so would see another module path than the one recorded.
train() {
  local work log pid port conf
  work=$(mktemp -d)
  log=$work/server.log
  conf=$work/orchestrator.aotconf
  : >"$log" # exists before the loop reads it: the background redirect may come later
  ORCHESTRATOR_NO_AOT=1 ORCHESTRATOR_JAVA_OPTS="-XX:AOTMode=record -XX:AOTConfiguration=$conf -Xlog:aot=warning" \
    "$image/bin/orchestrator" server --bind 127.0.0.1 --port 0 --data-dir "$work/data" \
    --plugins-dir "$work/plugins" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    port=$(sed -n 's#.*listening on http://[^:]*:\([0-9]*\).*#\1#p' "$log")
    [ -n "$port" ] && break
    sleep 0.1
  done
  if [ -n "${port:-}" ]; then
    # The local node joins after the API listens: on a loaded machine a run stopped at
    # "listening" records only part of the start-up, and the cache misses the rest.
    for _ in $(seq 1 100); do
      grep -q 'joined (' "$log" && break
      sleep 0.1
    done
    for _ in 1 2 3; do
      # Only the status line is read: the point is to run the request path once.
      exec 3<>"/dev/tcp/127.0.0.1/$port"
      printf 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
      read -r -t 5 _ <&3 || true
      exec 3>&-
    done
  fi
  kill -TERM "$pid"
  wait "$pid" || true
  if [ -f "$conf" ]; then
    ORCHESTRATOR_NO_AOT=1 \
      ORCHESTRATOR_JAVA_OPTS="-XX:AOTMode=create -XX:AOTConfiguration=$conf -XX:AOTCache=$image/lib/orchestrator.aot -Xlog:aot=warning" \
      "$image/bin/orchestrator" plugins --plugins-dir "$work/plugins" >>"$log" 2>&1 || true
  fi
  "$image/bin/orchestrator" plugins --plugins-dir "$work/plugins" >/dev/null
  if [ -f "$image/lib/orchestrator.aot" ]; then
    echo "assemble: AOT cache $(du -h "$image/lib/orchestrator.aot" | cut -f1)"
  else
    echo "assemble: WARNING: no AOT cache was written; the training log follows" >&2
    cat "$log" >&2 || true
  fi
  rm -rf "$work"
}
train

tarball=$target/orchestrator-$version-linux-x64.tar.gz
tar -czf "$tarball" -C "$target" orchestrator
echo "assemble: image $(du -sh "$image" | cut -f1), tarball $(du -h "$tarball" | cut -f1)"
