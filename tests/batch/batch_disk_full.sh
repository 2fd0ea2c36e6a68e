#!/usr/bin/env bash
# An output disk that fills up: the batch stops with a clear error (exit 2), every card in the
# manifest is complete, no file under a final name is short, and resume on a larger disk finishes.
# Needs root to mount a small tmpfs; otherwise it is skipped (exit 77) with a message.
# Usage: batch_disk_full.sh SDC SOURCE_DIR WORK_DIR
set -u
sdc=${1:?sdc} src=${2:?source} work=${3:?work}
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: mounting a small tmpfs needs root; the full-disk test did not run"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work/disk"
if ! mount -t tmpfs -o size=2m tmpfs "$work/disk" 2> "$work/mount.err"; then
  cat "$work/mount.err"
  echo "SKIP: cannot mount a tmpfs here (no CAP_SYS_ADMIN); the full-disk test did not run"
  exit 77
fi
trap 'umount "$work/disk" 2> /dev/null' EXIT
fails=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
# The photo beside the records: a record's photo must be in the records file's folder.
cp "$src/assets/records/photos/astronaut.png" "$work/astronaut.png"
bash "$src/tests/batch/gen_records.sh" 40 "$work/astronaut.png" > "$work/records.csv"
args=(batch -t "$src/assets/templates/specimen.json" -r "$work/records.csv" --dpi 150 --threads 2 --progress none)

"$sdc" "${args[@]}" -o "$work/disk/out" 2> "$work/full.err"
rc=$?
cat "$work/full.err"
made=$(lines "$work/disk/out/manifest.jsonl")
echo "disk full after $made cards"
check "full disk: exit 2" '[ $rc -eq 2 ]'
check "full disk: the error names the disk and says what to do" 'grep -q "free space\|No space" "$work/full.err"'
check "full disk: stopped before the end" '[ "$made" -lt 40 ]'
bad=0
while read -r sum path; do
  [ "$(sha256sum "$work/disk/out/$path" | cut -d" " -f1)" = "$sum" ] || { echo "bad: $path"; bad=1; }
done < <(grep -o '"path":"[^"]*","sha256":"[^"]*"' "$work/disk/out/manifest.jsonl" |
  sed 's/"path":"\([^"]*\)","sha256":"\([^"]*\)"/\2 \1/')
check "full disk: every manifest entry is intact" '[ $bad -eq 0 ]'
short=0
for f in "$work"/disk/out/*/front.png; do
  [ -e "$f" ] || continue
  tail -c 12 "$f" | grep -q IEND || { echo "short: $f"; short=1; }
done
check "full disk: no truncated PNG under a final name" '[ $short -eq 0 ]'
check "full disk: the manifest ends with a whole line" '[ ! -s "$work/disk/out/manifest.jsonl" ] || [ "$(tail -c 1 "$work/disk/out/manifest.jsonl" | od -An -c | tr -d " ")" = "\n" ]'

# More room: resume completes the batch.
mount -o remount,size=64m "$work/disk"
"$sdc" "${args[@]}" -o "$work/disk/out" --resume 2> "$work/resume.err"
rc=$?
cat "$work/resume.err"
check "resume after freeing space: exit 0" '[ $rc -eq 0 ]'
check "resume after freeing space: 40 cards" '[ "$(lines "$work/disk/out/manifest.jsonl")" -eq 40 ]'

[ $fails -eq 0 ] && echo "batch_disk_full: all passed" || echo "batch_disk_full: $fails failed"
exit $((fails > 0))
