// The `mrz` finding: the machine-readable zone printed on the card against the one the seal's data
// gives (hostile case (f) of issue 10: a name or date changed on the card, the genuine QR kept).
#pragma once

#include <sdc/mrz.hpp>
#include <sdc/verify.hpp>

#include "verify/glare.hpp"

#include <string>
#include <vector>

namespace sdc::detail {

/// How much worse a character of the print may fit the sealed character than the one read
/// (`MrzReading::loss`) and still count as the sealed one. Close OCR-B glyphs under blur or a phone
/// capture differ by a few hundredths; clearly different glyphs by 0.3 and more.
inline constexpr float kMrzMismatchLoss = 0.15f;

/// The least match of a cell's print with its best OCR-B glyph (`MrzReading::scores`) for the cell
/// to count as read. A zone's glyphs match 0.9 and more, also on phone photos (every cell of the
/// zones read on 120 simulated cards, 30 each of G-mild, G-medium, G-harsh and F, the altered
/// characters included: 0.914 and more); a cell washed out by glare, hidden by a finger or wiped
/// clean matches nothing (noise, under 0.4), and a cell whose reading grid slipped 0.05 to 0.5.
/// Such a cell's reading says nothing about what is printed there.
inline constexpr float kMrzMinCellMatch = 0.5f;

/// A reading that needed more corrections than this (`MrzReading::corrections`: characters the
/// reader changed so that a field's type or a check digit holds) does not say what is printed: a
/// zone read askew, blurred or half covered can be talked into holding its check digits by dozens
/// of corrections (26 on a phone photo in perspective). Its differences from the sealed data warn
/// (a retake) instead of failing. A zone altered and printed cleanly reads with none or a few.
inline constexpr std::size_t kMrzMaxTrustedCorrections = 6;

/// Glare over the printed zone `zone` (the template's box on the rectified card) of `lines` lines
/// of `chars` characters: `zone_glare` on cells of one line by two characters (every cell of an
/// ICAO zone holds a character or a filler, so ink); `washed_in_row` per line.
ZoneGlare mrz_glare(const ImageView& zone, int lines, int chars);

/// Compares a reading of the printed zone with the lines the seal's data gives (`expected`, as
/// compose made them for the card). `read` is null when no zone could be read (`read_error` says
/// why). A character read otherwise than sealed whose print fits the sealed one within
/// `kMrzMismatchLoss` takes the sealed one first. Outcomes:
/// - pass: every check digit holds and every field the seal carries (issuing state, document
///   number, names, dates of birth and expiry, sex, nationality) reads as sealed; the document
///   code and optional data are not compared (they may hold what the seal does not);
/// - fail: a check digit of the printed zone does not hold, or a field differs from the sealed
///   data (the reason names the fields: "date_of_birth printed '900101', sealed '850615'"); but a
///   warn `glare` when `glare` washed out a cell of the zone: glare over part of a line throws the
///   reader off along the line, and sometimes across the zone, so the reading does not say what is
///   printed (a retake). Where a cell of every line a difference rests on is washed out (a check
///   digit: the lines its data comes from, the composite's the first two; a field: its line; in a
///   zone not of the sealed TD1 shape, any line), only those lines are unread;
/// - warn: the template prints a zone but it could not be read (a poor capture cannot clear a card
///   whose printed data was not compared; `glare` when `glare` washed out a cell of it: a retake
///   away from the light), or it was read only with more than
///   `kMrzMaxTrustedCorrections` corrections and does not match (`unreliable`: retake); or cells
///   of it match no glyph (under `kMrzMinCellMatch`: `unclear`, or `glare` where glare washes out
///   a cell of their lines) while every cell read otherwise than sealed is one of them: those cells
///   are not read, neither taken as the sealed character nor as a difference, so a zone that
///   matches everywhere else is not passed either; their lines are unread;
/// - not_checked: the seal gives no zone (the template prints none).
/// A warning's `unread` names the lines it leaves unread ("line 1", ...): those a `glare` warning
/// rests on, every line otherwise; the others read as sealed (Checker::check_captures reads each
/// line on one capture or another).
/// score = the largest loss of a character read otherwise than sealed (0 when all read as sealed;
/// on a fail, including those left as read; 2 when the zone's shape differs), threshold =
/// `kMrzMismatchLoss`.
Finding mrz_finding(const MrzReading* read, const std::string& read_error, const std::vector<std::string>& expected,
                    int seal, ZoneGlare glare = {});

}  // namespace sdc::detail
