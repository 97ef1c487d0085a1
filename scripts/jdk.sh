# Sourced by scripts/test.sh and scripts/run.sh: finds a JDK >= $MIN_JAVA under $JVM_DIR
# (temurin-25 preferred). Needs MIN_JAVA, JVM_DIR and PREFERRED_JDK set by the caller.
# shellcheck shell=bash

# Prints the feature version (e.g. 25, or 8 for "1.8.0_x") of a java binary.
java_major() {
  local out version
  out="$("$1" -version 2>&1)" || return 1
  version="$(sed -n 's/.* version "\([^"]*\)".*/\1/p' <<<"$out" | head -n1)"
  [[ -n "$version" ]] || return 1
  if [[ "$version" == 1.* ]]; then
    version="${version#1.}"
  fi
  version="${version%%[.+_-]*}"
  [[ "$version" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$version"
}

select_jdk() {
  local best="" best_major=0 dir major
  if [[ -x "$PREFERRED_JDK/bin/java" && -x "$PREFERRED_JDK/bin/javac" ]] \
    && major="$(java_major "$PREFERRED_JDK/bin/java")" && ((major >= MIN_JAVA)); then
    printf '%s\n' "$PREFERRED_JDK"
    return 0
  fi
  for dir in "$JVM_DIR"/*/; do
    dir="${dir%/}"
    [[ -x "$dir/bin/java" && -x "$dir/bin/javac" ]] || continue
    major="$(java_major "$dir/bin/java")" || continue
    if ((major >= MIN_JAVA && major > best_major)); then
      best="$dir"
      best_major="$major"
    fi
  done
  [[ -n "$best" ]] || return 1
  printf '%s\n' "$best"
}

