#!/usr/bin/env bash
# An interrupted batch resumes with nothing lost and nothing duplicated: start sdc batch on sixty
# small cards, kill -9 it mid-way, resume, and check the manifest against the records and
# every file against its hash.
# Usage: batch_sigkill.sh SDC SOURCE_DIR WORK_DIR [COUNT]
set -u
sdc=${1:?sdc} src=${2:?source} work=${3:?work} count=${4:-60}
rm -rf "$work" && mkdir -p "$work"
fails=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
# The photo beside the records: a record's photo must be in the records file's folder.
cp "$src/assets/records/photos/astronaut.png" "$work/astronaut.png"
bash "$src/tests/batch/gen_records.sh" "$count" "$work/astronaut.png" > "$work/records.csv"
args=(batch -t "$src/assets/templates/specimen.json" -r "$work/records.csv" -o "$work/out" --dpi 72 --threads 2
  --progress none)

"$sdc" "${args[@]}" 2> "$work/first.err" &
pid=$!
# Kill once a fifth of the cards are in the manifest (or after 300 s at most).
for _ in $(seq 3000); do
  [ "$(lines "$work/out/manifest.jsonl")" -ge $((count / 5)) ] && break
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.1
done
kill -9 "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
before=$(lines "$work/out/manifest.jsonl")
echo "killed with $before of $count cards in the manifest"
check "killed mid-way" '[ "$before" -gt 0 ] && [ "$before" -lt "$count" ]'

"$sdc" "${args[@]}" --resume 2> "$work/resume.err"
rc=$?
cat "$work/resume.err"
check "resume: exit 0" '[ $rc -eq 0 ]'
check "manifest: one line per record" '[ "$(lines "$work/out/manifest.jsonl")" -eq "$count" ]'
check "manifest: no record twice" \
  '[ "$(grep -o "\"record\":[0-9]*" "$work/out/manifest.jsonl" | sort -u | wc -l)" -eq "$count" ]'
check "manifest: records 1..$count" \
  '[ "$(grep -o "\"record\":[0-9]*" "$work/out/manifest.jsonl" | cut -d: -f2 | sort -n | sed -n "1p;\$p" | tr "\n" " ")" = "1 $count " ]'
bad=0
while read -r sum path; do
  [ "$(sha256sum "$work/out/$path" | cut -d" " -f1)" = "$sum" ] || { echo "hash mismatch: $path"; bad=1; }
done < <(grep -o '"path":"[^"]*","sha256":"[^"]*"' "$work/out/manifest.jsonl" |
  sed 's/"path":"\([^"]*\)","sha256":"\([^"]*\)"/\2 \1/')
check "every file matches its manifest hash" '[ $bad -eq 0 ]'
check "no temporary files left" '[ -z "$(find "$work/out" -name ".*.tmp-*")" ]'
check "no card folder outside the manifest" \
  '[ "$(find "$work/out" -mindepth 1 -maxdepth 1 -type d | wc -l)" -eq "$count" ]'

[ $fails -eq 0 ] && echo "batch_sigkill: all passed" || echo "batch_sigkill: $fails failed"
exit $((fails > 0))
