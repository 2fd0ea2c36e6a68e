#!/usr/bin/env bash
# Bad input through the CLI: each case must exit non-zero, print an error that names the file
# (or record/field/element), and leave no output file behind.
#   cli_bad_input.sh <sdc binary> <source dir> <work dir>
set -u
sdc=$1 src=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
tmpl="$src/assets/templates/specimen.json"
rec="$src/assets/records/specimen.json"
fails=0 passes=0
check() {  # name, expected text in stderr, command...
  local name=$1 want=$2; shift 2
  local out="$work/out-$name"
  "$@" --out "$out" >"$work/$name.stdout" 2>"$work/$name.stderr"
  local rc=$?
  local files=0
  [ -d "$out" ] && files=$(find "$out" -type f | wc -l)
  if [ $rc -ne 0 ] && [ $rc -ne 3 ] && grep -q -- "$want" "$work/$name.stderr" && [ "$files" -eq 0 ]; then
    passes=$((passes + 1))
  else
    fails=$((fails + 1))
    echo "FAIL $name: rc=$rc files=$files (want an error mentioning '$want')"
    sed 's/^/  | /' "$work/$name.stderr"
  fi
}
# Photos: corrupt, truncated, empty, huge header (100000 x 100000 px, refused before decoding).
printf '\x89PNG\r\n\x1a\nnot really a png' >"$work/corrupt.png"
head -c 2000 "$src/assets/records/photos/astronaut.png" >"$work/truncated.png"
: >"$work/empty.png"
# A valid PNG header (correct CRCs) claiming 100000 x 100000 RGB pixels, with a tiny IDAT.
printf '\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x02\x00\x00\x00\x27\x30\x9c\x9f\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\x60\xa0\x0c\x00\x00\x00\x40\x00\x01\xb7\x34\x7c\xef\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82' >"$work/huge.png"
check corrupt_photo "corrupt.png" "$sdc" render -t "$tmpl" -r "$rec" --photo "$work/corrupt.png"
check truncated_photo "truncated.png" "$sdc" render -t "$tmpl" -r "$rec" --photo "$work/truncated.png"
check empty_photo "empty.png" "$sdc" render -t "$tmpl" -r "$rec" --photo "$work/empty.png"
check huge_photo "huge.png" "$sdc" render -t "$tmpl" -r "$rec" --photo "$work/huge.png"
# Templates: syntax error (with line), unknown element type, missing font, unknown field.
printf '{\n  "sdc_template": 1,\n  "front": {"elements": [}\n}\n' >"$work/syntax.json"
check template_syntax "syntax.json:3" "$sdc" render -t "$work/syntax.json" -r "$rec"
cat >"$work/unknown.json" <<'JSON'
{"sdc_template": 1, "front": {"elements": [{"type": "hologram", "name": "h", "x": 1, "y": 1, "w": 5, "h": 5}]}}
JSON
check unknown_type "hologram" "$sdc" render -t "$work/unknown.json" -r "$rec"
cat >"$work/font.json" <<'JSON'
{"sdc_template": 1, "front": {"elements": [{"type": "text", "name": "t", "x": 1, "y": 1, "w": 40, "h": 8, "text": "x", "font": "Comic Nonexistent"}]}}
JSON
check missing_font "Comic Nonexistent" "$sdc" render -t "$work/font.json" -r "$rec"
cat >"$work/field.json" <<'JSON'
{"sdc_template": 1, "front": {"elements": [{"type": "text", "name": "officer", "x": 1, "y": 1, "w": 40, "h": 8, "text": "{case_officer}"}]}}
JSON
check missing_field "case_officer" "$sdc" render -t "$work/field.json" -r "$rec"
# Records: broken CSV quote, invalid UTF-8, invalid date.
printf 'surname,given_names\n"Doe,Jane\n' >"$work/quote.csv"
check csv_quote "quote.csv:2" "$sdc" render -t "$tmpl" -r "$work/quote.csv"
printf 'surname,given_names\nD\xc3\x28e,Jane\n' >"$work/utf8.csv"
check csv_utf8 "UTF-8" "$sdc" render -t "$tmpl" -r "$work/utf8.csv"
sed 's/"1984-07-15"/"1984-02-30"/' "$rec" >"$work/date.json"
check bad_date "date_of_birth" "$sdc" render -t "$tmpl" -r "$work/date.json"
# Output: a folder that cannot be created.
: >"$work/a_file"
"$sdc" render -t "$tmpl" -r "$rec" --out "$work/a_file/sub" >/dev/null 2>"$work/outdir.stderr"
if [ $? -eq 2 ] && grep -q "a_file" "$work/outdir.stderr"; then passes=$((passes + 1)); else
  fails=$((fails + 1)); echo "FAIL unwritable_output"; cat "$work/outdir.stderr"; fi
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
