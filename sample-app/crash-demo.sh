#!/usr/bin/env bash
# Crash demonstration for the atomicfile sample app.
#
# Starts the app jar on a fresh data directory, stores large documents, then in each round
# uploads new versions of all of them at once (rate-limited, so they are slow), kills the app
# with SIGKILL and starts it again at once, as a supervisor would (systemd RestartSec=100ms, a
# Kubernetes restart). Each PUT commits the document together with its metadata sidecar
# (.<name>.meta.json: size, SHA-256, content type). Odd rounds kill while the uploads are half
# written (before any commit point); even rounds kill the instant a commit record appears, in the
# middle of a commit (or, if none is caught, once the uploads are done). The startup recovery
# completes or rolls back the commits caught in flight; the startup pass of the reaper keeps the
# orphans younger than its min-age, and its follow-up pass reaps them once they are old enough,
# with no interval configured. After every restart it checks that
#   - when no commit record was left, the startup and follow-up passes together reap exactly the
#     orphaned temp files the kill left, and /actuator/metrics/atomicfile.reaped counts them;
#   - no temp file and no commit record is left in the data directory;
#   - every document, on disk and through GET, is byte for byte either its previous version or
#     the new one (compared by SHA-256 with the files that were uploaded): never torn or empty;
#   - every document agrees with its metadata: the sidecar's size and SHA-256 are the file's,
#     and GET serves it with that Content-Length and ETag.
# Exits non-zero on the first failure.
#
# Usage: sample-app/crash-demo.sh     (builds the jar when it is missing or older than the sources;
#                                      needs curl and a JDK 17+)
# Knobs: ROUNDS (4), DOCS (4), SIZE_MIB (48), RATE (curl --limit-rate per upload, 16M), KEEP=1 keeps the work dir.
set -euo pipefail

ROUNDS=${ROUNDS:-4}
DOCS=${DOCS:-4}
SIZE_MIB=${SIZE_MIB:-48}
RATE=${RATE:-16M}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v curl >/dev/null || { echo "crash-demo: curl is required" >&2; exit 2; }

# atomicfile.reaper.min-age as the app's application.yml sets it (10s, 500ms, 1m...), in seconds, rounded up.
min_age_seconds() {
  local value
  value=$(sed -n 's/^ *min-age: *\([0-9][0-9]*[a-z]*\).*/\1/p' "$here/src/main/resources/application.yml" | head -n 1)
  case "$value" in
    *ms) echo $(( (${value%ms} + 999) / 1000 )) ;;
    *s) echo "${value%s}" ;;
    *m) echo $(( ${value%m} * 60 )) ;;
    *h) echo $(( ${value%h} * 3600 )) ;;
    [0-9]*) echo $(( (value + 999) / 1000 )) ;; # Spring reads a bare number as milliseconds
    *) echo "crash-demo: cannot read min-age from application.yml ('$value')" >&2; exit 2 ;;
  esac
}
MIN_AGE_SECONDS=$(min_age_seconds)

jar=$(ls "$here"/target/sample-app-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1 || true)
if [ -z "$jar" ] || [ -n "$(find "$here/pom.xml" "$here/src/main" "$repo/pom.xml" \
    "$repo/atomicfile-spring-boot-autoconfigure/pom.xml" "$repo/atomicfile-spring-boot-autoconfigure/src/main" \
    "$repo/atomicfile-spring-boot-starter/pom.xml" -type f -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "== building the sample app jar (missing or older than its sources)"
  (cd "$repo" && ./mvnw -B -q -ntp -pl sample-app -am package -DskipTests)
  jar=$(ls "$here"/target/sample-app-*.jar | grep -v '\.original$' | head -n 1)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/atomicfile-crash-demo.XXXXXX")
data=$work/data
mkdir -p "$data" "$work/src" "$work/ok"
app_pid=
uploads=()

cleanup() {
  for pid in "${uploads[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
temp_files() { find "$data" -maxdepth 1 -name '*.tmp.af*' | wc -l; }
records() { find "$data" -maxdepth 1 -name '.atomicfile-commit-*' ! -name '*.tmp.af*' | wc -l; }
# The value of a number or string field of a metadata sidecar (the store writes one line of flat JSON).
meta_field() { sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$1"; }

start_app() { # $1: log file
  "$java" -jar "$jar" --sample.data-dir="$data" --sample.max-document-size=1GB --server.port=0 \
    --spring.main.banner-mode=off >"$1" 2>&1 &
  app_pid=$!
  local deadline=$((SECONDS + 90))
  # The startup reap runs after the server is up: wait for its line, not only for the port.
  until grep -qE 'started on port [0-9]+' "$1" 2>/dev/null && grep -q 'Startup reap of' "$1"; do
    kill -0 "$app_pid" 2>/dev/null || { cat "$1" >&2; fail "the app died during startup"; }
    [ $SECONDS -lt $deadline ] || fail "the app did not start and reap within 90 s"
    sleep 0.2
  done
  port=$(grep -oE 'started on port [0-9]+' "$1" | head -n 1 | grep -oE '[0-9]+$')
  base=http://localhost:$port
  curl -sf "$base/actuator/health" | grep -q '"UP"' || fail "health is not UP"
}

put() { # $1: document, $2: file; prints the HTTP status
  curl -sS -o /dev/null -w '%{http_code}' -T "$2" "$base/documents/$1"
}

verify_documents() { # every document is one of the versions it may hold; records which
  for i in $(seq 1 "$DOCS"); do
    doc=doc-$i.bin
    [ -f "$data/$doc" ] || fail "$doc is missing"
    actual=$(sha "$data/$doc")
    served=$(curl -sf "$base/documents/$doc" | sha256sum | cut -d' ' -f1)
    [ "$served" = "$actual" ] || fail "GET $doc serves other bytes than the file holds"
    match=
    for candidate in "$work/ok/$doc" "$work/ok/$doc.next"; do
      if [ -f "$candidate" ] && [ "$(cat "$candidate")" = "$actual" ]; then match=$candidate; fi
    done
    [ -n "$match" ] || fail "$doc is torn: its SHA-256 $actual matches neither the previous nor the new version"
    meta=$data/.$doc.meta.json
    [ -f "$meta" ] || fail "$doc has no metadata sidecar"
    meta_size=$(meta_field "$meta" size)
    meta_sha=$(meta_field "$meta" sha256)
    size=$(stat -c %s "$data/$doc")
    [ "$meta_size" = "$size" ] || fail "$doc has $size bytes, its metadata says $meta_size"
    [ "$meta_sha" = "$actual" ] || fail "$doc and its metadata disagree: SHA-256 $actual on disk, $meta_sha in $meta"
    headers=$(curl -sf -o /dev/null -D - "$base/documents/$doc" | tr -d '\r')
    echo "$headers" | grep -qix "etag: \"$actual\"" || fail "GET $doc: the ETag is not its SHA-256 $actual"
    echo "$headers" | grep -qix "content-length: $size" || fail "GET $doc: the Content-Length is not its size $size"
    if [ "$match" = "$work/ok/$doc.next" ]; then echo "   $doc: whole, new version, metadata agrees (its commit beat the kill)";
    else echo "   $doc: whole, previous version, metadata agrees"; fi
    if [ "$match" != "$work/ok/$doc" ]; then mv "$match" "$work/ok/$doc"; else rm -f "$work/ok/$doc.next"; fi
  done
}

echo "== work dir $work, jar $(basename "$jar")"
start_app "$work/app-0.log"
echo "== app started on port $port (pid $app_pid); storing $DOCS documents of $SIZE_MIB MiB"
for i in $(seq 1 "$DOCS"); do
  src=$work/src/doc-$i.bin
  head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$src"
  status=$(put "doc-$i.bin" "$src")
  [ "$status" = 201 ] || fail "PUT doc-$i.bin answered $status"
  sha "$src" >"$work/ok/doc-$i.bin"
done

total_reaped=0
caught=0
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round/$ROUNDS: uploading new versions of all $DOCS documents at $RATE/s each"
  for i in $(seq 1 "$DOCS"); do
    head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$work/src/doc-$i.next.bin"
    sha "$work/src/doc-$i.next.bin" >"$work/ok/doc-$i.bin.next"
  done
  uploads=()
  for i in $(seq 1 "$DOCS"); do
    curl -sS -o /dev/null --limit-rate "$RATE" -T "$work/src/doc-$i.next.bin" "$base/documents/doc-$i.bin" \
      2>/dev/null &
    uploads+=($!)
  done
  if [ $((round % 2)) = 1 ]; then
    # Kill once every upload has a temp file holding a random share (10-60 %) of its document.
    threshold=$(( (SIZE_MIB * 1024 * 1024) / 100 * (10 + RANDOM % 51) ))
    deadline=$((SECONDS + 60))
    until [ "$(find "$data" -maxdepth 1 -name '*.tmp.af*' -size +"$((threshold / 1024))"k | wc -l)" -ge "$DOCS" ]; do
      [ $SECONDS -lt $deadline ] || fail "the uploads did not get under way"
      sleep 0.05
    done
    moment="at least $((threshold / 1024 / 1024)) MiB into their uploads"
  else
    # Kill the instant a commit record (or a record's temp) appears: a commit is in flight. Polled with
    # shell built-ins only, so no fork delays the kill; if no commit is caught, kill once the uploads are done.
    moment="after the uploads, no commit in flight"
    deadline=$((SECONDS + 120))
    while :; do
      if compgen -G "$data/.atomicfile-commit-*" >/dev/null; then moment="in the middle of a commit"; break; fi
      running=0
      for pid in "${uploads[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
      [ $running = 1 ] || break
      [ $SECONDS -lt $deadline ] || fail "the uploads did not finish"
    done
  fi
  orphans=$(temp_files)
  kill -KILL "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=
  for pid in "${uploads[@]}"; do wait "$pid" 2>/dev/null || true; done
  uploads=()
  orphans_left=$(temp_files)
  records_left=$(records)
  echo "   SIGKILL $moment, with $orphans temp file(s); $orphans_left temp file(s) and $records_left commit record(s) left on disk:"
  find "$data" -maxdepth 1 \( -name '*.tmp.af*' -o -name '.atomicfile-commit-*' \) -printf '     %f  %s bytes\n' | sort
  [ $((round % 2)) = 0 ] || [ "$orphans_left" -gt 0 ] || fail "the kill left no orphan: nothing to demonstrate"
  [ "$records_left" = 0 ] || caught=$((caught + 1))

  # Restarted at once: the orphans are younger than min-age ($MIN_AGE_SECONDS s), so the startup pass
  # keeps them and a follow-up pass reaps them once they are old enough.
  log=$work/app-$round.log
  start_app "$log"
  echo "   restarted at once on port $port; the startup log says:"
  recovery=$(grep -E 'Startup recovery of [0-9]+ path' "$log" | head -n 1 || true)
  [ -z "$recovery" ] || echo "     ${recovery#*: }"
  [ "$records_left" = 0 ] || [ -n "$recovery" ] || fail "the kill left $records_left commit record(s) but the startup recovery settled none"
  startup=$(grep -E 'Startup reap of [0-9]+ path' "$log" | head -n 1)
  echo "     ${startup#*: }"
  startup_reaped=$(echo "$startup" | grep -oE 'reaped [0-9]+' | grep -oE '[0-9]+')
  young=$(echo "$startup" | grep -oE '[0-9]+ young' | grep -oE '[0-9]+')
  reaped=$startup_reaped
  if [ "$young" != 0 ]; then
    deadline=$((SECONDS + MIN_AGE_SECONDS + 30))
    until grep -qE 'Follow-up reap of [0-9]+ path' "$log"; do
      [ $SECONDS -lt $deadline ] || fail "no follow-up reap within min-age ($MIN_AGE_SECONDS s) + 30 s of the restart"
      sleep 0.2
    done
    followup=$(grep -E 'Follow-up reap of [0-9]+ path' "$log" | head -n 1)
    echo "     ${followup#*: }"
    reaped=$((startup_reaped + $(echo "$followup" | grep -oE 'reaped [0-9]+' | grep -oE '[0-9]+')))
  fi
  if [ "$records_left" = 0 ]; then
    [ "$reaped" = "$orphans_left" ] || fail "the startup and follow-up reaps deleted $reaped temp file(s), the kill left $orphans_left"
  else
    # Recovery renamed or deleted the temps its records named; the reaper took the rest.
    [ "$reaped" -le "$orphans_left" ] || fail "the reaps deleted $reaped temp file(s), more than the $orphans_left the kill left"
  fi
  metric=$(curl -sf "$base/actuator/metrics/atomicfile.reaped" | grep -oE '"value":[0-9.]+' | cut -d: -f2)
  [ "${metric%.0}" = "$reaped" ] || fail "atomicfile.reaped is $metric, expected $reaped"
  echo "   /actuator/metrics/atomicfile.reaped = $metric"
  [ "$(temp_files)" = 0 ] || fail "temp files remain after the follow-up reap"
  [ "$(records)" = 0 ] || fail "commit records remain after the startup recovery"
  verify_documents
  total_reaped=$((total_reaped + reaped))
  for i in $(seq 1 "$DOCS"); do mv "$work/src/doc-$i.next.bin" "$work/src/doc-$i.bin"; done
done

echo "== PASS: $ROUNDS SIGKILLs ($caught with a commit in flight), $total_reaped orphan(s) reaped at restart, $DOCS documents whole and agreeing with their metadata every time"
