#!/usr/bin/env bash
# sdc batch from the command line: the specimen records, exit codes, malformed rows among many,
# progress output, a locked folder, bad options.
# Usage: batch_cli.sh SDC SOURCE_DIR WORK_DIR
set -u
sdc=${1:?sdc} src=${2:?source} work=${3:?work}
rm -rf "$work" && mkdir -p "$work"
fails=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }
tmpl=$src/assets/templates/specimen.json
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }

# The specimen records: all fourteen are made (the odd ones are odd on purpose: scripts, quotes,
# a very long name, sex X) and listed in the manifest with intact files.
# Their photos (photos/) are in the records file's folder, where a record's photo must be by default.
"$sdc" batch -t "$tmpl" -r "$src/assets/records/specimen.csv" -o "$work/specimen" --dpi 72 --threads 2 \
  --progress plain > "$work/specimen.out" 2> "$work/specimen.err"
rc=$?
cat "$work/specimen.err"
check "specimen: exit 0" '[ $rc -eq 0 ]'
n=$(($(wc -l < "$src/assets/records/specimen.csv") - 1))
check "specimen: $n manifest lines" '[ "$(lines "$work/specimen/manifest.jsonl")" -eq $n ]'
check "specimen: no errors" '[ "$(lines "$work/specimen/errors.jsonl")" -eq 0 ]'
check "specimen: summary line" 'grep -q "cards made" "$work/specimen.err"'
bad_hash=0
while read -r sum path; do
  [ "$(sha256sum "$work/specimen/$path" | cut -d" " -f1)" = "$sum" ] || bad_hash=1
done < <(grep -o '"path":"[^"]*","sha256":"[^"]*"' "$work/specimen/manifest.jsonl" |
  sed 's/"path":"\([^"]*\)","sha256":"\([^"]*\)"/\2 \1/')
check "specimen: every manifest hash matches its file" '[ $bad_hash -eq 0 ]'
check "specimen: no temporary files left" '[ -z "$(find "$work/specimen" -name "*.tmp*")" ]'

# Without --resume a folder holding a batch is refused; with it, nothing is made again.
"$sdc" batch -t "$tmpl" -r "$src/assets/records/specimen.csv" -o "$work/specimen" --dpi 72 2> "$work/again.err"
rc=$?
check "existing batch without --resume: exit 2" '[ $rc -eq 2 ]'
check "existing batch: says --resume" 'grep -q -- "--resume" "$work/again.err"'
"$sdc" batch -t "$tmpl" -r "$src/assets/records/specimen.csv" -o "$work/specimen" --dpi 72 --resume 2> "$work/resume.err"
rc=$?
check "resume of a complete batch: exit 0" '[ $rc -eq 0 ]'
check "resume of a complete batch: all already made" 'grep -q "0 cards made.*$n already made" "$work/resume.err"'
check "resume: manifest unchanged in length" '[ "$(lines "$work/specimen/manifest.jsonl")" -eq $n ]'

# 60 rows of which every 7th is malformed: 52 made, 8 reported with record and line, exit 4.
bash "$src/tests/batch/gen_records.sh" 60 "$src/assets/records/photos/astronaut.png" 7 > "$work/mixed.csv"
# Its photos are in the source tree, not beside it: --photo-root names the folder that holds them.
"$sdc" batch -t "$tmpl" -r "$work/mixed.csv" -o "$work/mixed" --dpi 72 --quiet --photo-root "$src/assets" \
  > /dev/null 2> "$work/mixed.err"
rc=$?
check "malformed rows: exit 4" '[ $rc -eq 4 ]'
check "malformed rows: 52 cards" '[ "$(lines "$work/mixed/manifest.jsonl")" -eq 52 ]'
check "malformed rows: 8 errors" '[ "$(lines "$work/mixed/errors.jsonl")" -eq 8 ]'
check "malformed rows: record 14 on line 15 in errors.jsonl" 'grep -q "\"line\":15,.*\"record\":14" "$work/mixed/errors.jsonl" || grep -q "\"record\":14.*\"line\":15" "$work/mixed/errors.jsonl"'
check "malformed rows: on stderr too" '[ "$(grep -c "record .* failed" "$work/mixed.err")" -eq 8 ]'
check "--quiet: no progress or summary" '! grep -q "cards made\|cards/s" "$work/mixed.err"'

# Without --photo-root, mixed.csv's photos leave the records file's folder ($work): every
# well-formed row is refused, nothing is made, exit 4.
"$sdc" batch -t "$tmpl" -r "$work/mixed.csv" -o "$work/confined" --dpi 72 --quiet 2> "$work/confined.err"
rc=$?
check "default photo folder: exit 4" '[ $rc -eq 4 ]'
check "default photo folder: no card made" '[ "$(lines "$work/confined/manifest.jsonl")" -eq 0 ]'
check "default photo folder: 52 records refused" '[ "$(grep -c "leaves the photo folder" "$work/confined/errors.jsonl")" -eq 52 ]'
# --photo-root assets/templates: every specimen photo (photos/) leaves it.
"$sdc" batch -t "$tmpl" -r "$src/assets/records/specimen.csv" -o "$work/confined2" --dpi 72 --quiet \
  --photo-root "$src/assets/templates" 2> "$work/confined2.err"
rc=$?
check "--photo-root: exit 4" '[ $rc -eq 4 ]'
check "--photo-root: every record reported" '[ "$(grep -c "leaves the photo folder" "$work/confined2/errors.jsonl")" -eq $n ]'

# A folder another batch is writing: refused with a clear error. This shell holds the lock
# (flock(1) on descriptor 9) while sdc runs, without it (9>&-), and lets go after.
mkdir -p "$work/locked"
exec 9> "$work/locked/.sdc-batch.lock"
flock 9
"$sdc" batch -t "$tmpl" -r "$src/assets/records/specimen.csv" -o "$work/locked" --dpi 72 2> "$work/locked.err" 9>&-
rc=$?
exec 9>&-
cat "$work/locked.err"
check "locked folder: exit 2" '[ $rc -eq 2 ]'
check "locked folder: says another batch" 'grep -q "another batch is writing" "$work/locked.err"'
check "locked folder: nothing written" '[ ! -e "$work/locked/manifest.jsonl" ]'

# Bad options.
"$sdc" batch -t "$tmpl" -r "$src/assets/records/specimen.csv" -o "$work/x" --shard 4/4 2> "$work/shard.err"
rc=$?
check "--shard 4/4: exit 2 with a hint" '[ $rc -eq 2 ] && grep -q "0 <= I < N" "$work/shard.err"'

[ $fails -eq 0 ] && echo "batch_cli: all passed" || echo "batch_cli: $fails failed"
exit $((fails > 0))
