#!/usr/bin/env bash
# Writes N specimen records as CSV to stdout, for batch tests and measurements:
#   gen_records.sh N PHOTO [BAD_EVERY]
# Document numbers XC0000001.. are unique; PHOTO is written as given (absolute, or relative to the
# CSV). With BAD_EVERY=k, every k-th row is malformed (a missing column), so k-1 of k rows are good.
set -eu
n=${1:?count} photo=${2:?photo} bad=${3:-0}
echo "surname,given_names,surname_latin,given_names_latin,date_of_birth,sex,nationality,registration_number,docket_number,document_number,issuing_office,issuing_office_code,issue_date,expiry_date,card_variant,photo"
awk -v n="$n" -v photo="$photo" -v bad="$bad" '
function letters(k,   t) { t = ""; do { t = substr("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k % 26 + 1, 1) t; k = int(k / 26) } while (k > 0); return t }
BEGIN {
  split("Example Muster Specimen Probe Sample", s, " "); split("Alex Maria Jan Noor Kim", g, " ")
  for (i = 1; i <= n; i++) {
    sn = s[i % 5 + 1] "-" letters(i); gn = g[i % 3 + 1]
    dob = sprintf("19%02d-%02d-%02d", 50 + i % 49, 1 + i % 12, 1 + i % 28)
    row = sprintf("%s,%s,%s,%s,%s,%s,XXA,%09d,CR-2026-%06d,XC%07d,Specimen City Field Office,SCF,2026-11-02,2031-11-01,%s,%s",
                  sn, gn, toupper(sn), toupper(gn), dob, (i % 2 ? "F" : "M"), 100000000 + i, i, i,
                  (i % 2 ? "temporary" : "permanent"), photo)
    if (bad > 0 && i % bad == 0) sub(/,XXA,/, ",", row)
    print row
  }
}'
