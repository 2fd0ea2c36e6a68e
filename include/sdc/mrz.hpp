/// @file mrz.hpp
/// The machine-readable zone of ICAO Doc 9303: writing the TD1 zone of an ID-1 card (three lines of
/// 30 characters, check digits, name transliteration), and reading any zone back: `parse_mrz` for
/// text (TD1, TD2, TD3, MRV-A, MRV-B) and `MrzReader` / `read_mrz` for images (an OCR-B reader).
///
/// TD1 layout (Doc 9303 Part 5, positions 1-based):
///
///     line 1: 1-2 document code | 3-5 issuing state | 6-14 document number | 15 check digit |
///             16-30 optional data (1)
///     line 2: 1-6 date of birth YYMMDD | 7 check | 8 sex (F, M, <) | 9-14 date of expiry | 15 check |
///             16-18 nationality | 19-29 optional data (2) | 30 composite check digit
///     line 3: 1-30 name: primary identifier, "<<", secondary identifiers separated by "<"
///
/// Check digits use the 7-3-1 weights over digit values (0-9), letter values (A = 10 ... Z = 35)
/// and the filler "<" (0), modulo 10. The composite check digit covers line 1 positions 6-30,
/// line 2 positions 1-7, 9-15 and 19-29. A document number longer than 9 characters puts its first
/// 9 characters in positions 6-14, "<" in position 15, and the rest followed by its check digit
/// (computed over the whole number) at the start of optional data (1) (Doc 9303 Part 5, note j).
///
/// Pure functions: thread-safe, deterministic, locale-free.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/record.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

/// How letters with diacritics become A-Z (Doc 9303 Part 3, section 6, transliteration of Latin
/// characters). Both options follow the ICAO table for letters it maps one way only (Ø -> OE,
/// Æ -> AE, Œ -> OE, ß -> SS, Þ -> TH, Ð -> D, Ł -> L, IJ -> IJ, Ñ -> N, other accented letters
/// -> their base letter); they differ where the table gives a choice:
enum class MrzTransliteration {
  expand,  ///< Ä -> AE, Ö -> OE, Ü -> UE, Å -> AA (the ICAO recommendation; sdc's default)
  base,    ///< Ä -> A,  Ö -> O,  Ü -> U,  Å -> A
};

/// The data of a TD1 zone before encoding. Text may contain lower case, spaces, hyphens,
/// apostrophes and Latin letters with diacritics: `make_td1` converts them.
struct MrzData {
  std::string document_code = "I";  ///< 1-2 characters, first one A, C or I for TD1 cards
  std::string issuing_state;        ///< 3 letters (ICAO/ISO 3166-1 alpha-3, e.g. "UTO", "XXA")
  std::string document_number;      ///< letters and digits; up to 9 fit the field, up to 22 in all
  Date date_of_birth;               ///< day 0 / month 0 are not supported: use a full date
  char sex = '<';                   ///< 'F', 'M' or '<' (unspecified; 'X' is also written '<')
  Date date_of_expiry;
  std::string nationality;  ///< 3 letters
  std::string optional_1;   ///< up to 15 characters (less when a long document number uses it)
  std::string optional_2;   ///< up to 11 characters
  std::string surname;      ///< primary identifier (UTF-8, Latin script)
  std::string given_names;  ///< secondary identifiers, separated by spaces (UTF-8, Latin script)
};

/// Options of `make_td1`.
struct MrzOptions {
  MrzTransliteration transliteration = MrzTransliteration::expand;
};

/// The ICAO check digit of `field` (characters 0-9, A-Z, <). Returns -1 for any other character.
SDC_EXPORT int mrz_check_digit(std::string_view field) noexcept;

/// Transliterates a UTF-8 name to the MRZ alphabet: upper case A-Z, spaces and hyphens become "<",
/// apostrophes and full stops are dropped, letters with diacritics follow `mode` (see
/// MrzTransliteration; combining marks after a base letter are handled as the precomposed letter).
/// Errors: Errc::invalid_field for invalid UTF-8 or a character outside the Latin script or without
/// an ICAO transliteration (the message names it, U+XXXX, and its position); the hint says to give
/// a Latin form of the name.
SDC_EXPORT Result<std::string> mrz_transliterate(std::string_view utf8, MrzTransliteration mode);

/// The three TD1 lines (30 characters each, A-Z 0-9 <). A name longer than 30 characters is
/// truncated as Doc 9303 Part 3 allows, keeping the primary identifier whole: sdc keeps as many
/// secondary identifiers as can stay (each at least its initial) and removes characters from the
/// end of the last ones until the field is exactly full, so a truncated name ends with a letter
/// (how a reader knows it was truncated). Only when not even one initial fits is the primary
/// identifier cut at 30 characters.
/// Errors: Errc::invalid_field naming the field ("document_number", "issuing_state", ...) for
/// characters that cannot be written, lengths over the field, a bad sex code, or years outside
/// 1900-2199.
SDC_EXPORT Result<std::array<std::string, 3>> make_td1(const MrzData& data, const MrzOptions& options = {});

/// The MrzData of a docket record: surname, given_names (or surname_latin and given_names_latin when
/// present, which a name in a non-Latin script needs), date_of_birth, sex, nationality,
/// document_number, expiry_date; `issuing_state` and `document_code` as given.
/// Errors: Errc::missing_field / Errc::invalid_field naming the record and field (a name in a
/// non-Latin script without its *_latin field is invalid_field on that name).
SDC_EXPORT Result<MrzData> mrz_data_from_record(const Record& record, std::string_view issuing_state,
                                                std::string_view document_code = "I", const MrzOptions& options = {});

/// A TD1 zone read back (from OCR, a scanner), split into its fields, with each check verified.
struct Td1Parsed {
  std::string document_code, issuing_state, document_number, optional_1, optional_2, nationality;
  std::string date_of_birth, date_of_expiry;  ///< YYMMDD as printed
  char sex = '<';
  std::string surname, given_names;  ///< with "<" turned back into spaces
  bool document_number_ok = false, date_of_birth_ok = false, date_of_expiry_ok = false, composite_ok = false;
  bool all_checks_ok() const noexcept {
    return document_number_ok && date_of_birth_ok && date_of_expiry_ok && composite_ok;
  }
};

/// Splits three TD1 lines into fields and verifies the check digits (a failed check is a result,
/// not an error). Errors: Errc::invalid_argument when a line is not 30 characters of A-Z 0-9 <.
SDC_EXPORT Result<Td1Parsed> parse_td1(const std::array<std::string, 3>& lines);

// ---------------------------------------------------------------------------------------------
// Reading any ICAO 9303 machine-readable zone, from text or from an image.
// ---------------------------------------------------------------------------------------------

/// The MRZ formats of Doc 9303: TD1 (Part 5, 3 x 30), TD2 (Part 6, 2 x 36), TD3 (Part 4, passports,
/// 2 x 44), and the machine-readable visas MRV-A (Part 7, 2 x 44) and MRV-B (2 x 36), which share
/// the line lengths of TD3 and TD2 and are told apart by their document code starting with "V".
enum class MrzFormat { td1, td2, td3, mrv_a, mrv_b };

/// "TD1", "TD2", "TD3", "MRV-A", "MRV-B".
SDC_EXPORT const char* to_string(MrzFormat format) noexcept;

/// The fields of a zone as printed: "<" fillers at the end of a field are removed; in names every
/// remaining "<" becomes a space. Dates stay YYMMDD as printed (the century is not in the MRZ).
struct MrzFields {
  std::string document_code;         ///< 1-2 characters ("P", "I", "ID", "V", "AC", ...)
  std::string issuing_state;         ///< 3 characters ("UTO", "D" of Germany is "D")
  std::string document_number;       ///< the whole number, with the TD1/TD2 long-number extension
  std::string date_of_birth;         ///< YYMMDD (may hold "<" for an unknown part)
  char sex = '<';                    ///< 'F', 'M' or '<' (an 'X' is reported as read)
  std::string date_of_expiry;        ///< YYMMDD
  std::string nationality;           ///< 3 characters
  std::string primary_identifier;    ///< surname(s), "<" turned into spaces
  std::string secondary_identifier;  ///< given names, "<" turned into spaces
  std::string optional_1;            ///< TD1 line 1 optional data (after a long number's extension); TD2, TD3
                                     ///< (personal number) and MRV optional data
  std::string optional_2;            ///< TD1 line 2 optional data; empty for the other formats
};

/// One check digit of a zone.
struct MrzCheck {
  std::string field;   ///< "document_number", "date_of_birth", "date_of_expiry", "optional_data"
                       ///< (TD3 personal number), "composite"
  int line = 0;        ///< 0-based line of the check digit
  int column = 0;      ///< 0-based column of the check digit
  char printed = '<';  ///< the check digit as read
  int expected = -1;   ///< the digit computed from the data (-1 when the data holds an invalid char)
  bool ok = false;     ///< printed == expected (a TD3 personal number that is all "<" may have "<"
                       ///< or "0" as its check digit: both hold)
};

/// A character the reader changed after classification, because the field type or a check digit
/// proved the first choice wrong ("O" in a date is "0"; "B" in a document number whose check digit
/// only holds with "8").
struct MrzCorrection {
  int line = 0, column = 0;  ///< 0-based
  char from = '<', to = '<';
  std::string reason;  ///< "date_of_birth is numeric", "document_number check digit", ...
};

/// Where the zone was found, in the pixel coordinates of the image given to `read_mrz` (x right,
/// y down): the corners of the band holding the characters, clockwise from the top-left of the
/// first line's first character as read (so a zone upside down in the image is reported as such).
struct MrzLocation {
  std::array<std::array<double, 2>, 4> corners{};
  double angle_deg = 0;       ///< rotation of the text lines, counter-clockwise positive
  double char_height_px = 0;  ///< height of a capital letter in the image
};

/// The characters of a machine-readable zone, in the order of `MrzReading::scores`.
inline constexpr std::string_view kMrzAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

/// A zone, read back from text (`parse_mrz`) or from an image (`read_mrz`).
struct MrzReading {
  MrzFormat format = MrzFormat::td1;
  std::vector<std::string> lines;  ///< the lines after correction (A-Z 0-9 < only)
  /// Per character of `lines`: how sure the classifier was, 0 (guess) to 1 (identical to the
  /// reference glyph); the normalised correlation with the chosen glyph, lowered when the second
  /// best glyph is close. All 1 for `parse_mrz`.
  std::vector<std::vector<float>> confidence;
  MrzFields fields;
  std::vector<MrzCheck> checks;            ///< in the order of the zone; the composite last
  std::vector<MrzCorrection> corrections;  ///< empty for `parse_mrz`
  MrzLocation location;                    ///< zero for `parse_mrz`
  /// Per character of `lines`: the classifier's score of each character of `kMrzAlphabet` at that
  /// place (a normalised correlation with the reference glyph, about -1 to 1, higher is more
  /// alike). Empty for `parse_mrz`.
  std::vector<std::vector<std::vector<float>>> scores;

  /// How much less the print at (line, column) looks like `c` than like the character read there:
  /// 0 when `c` is the character read (or scores as well), about 0.05 between close glyphs, 0.3 and
  /// more between clearly different ones. A checker that knows what should be printed compares
  /// with this rather than with the reader's choice between close glyphs. Without scores
  /// (`parse_mrz`) or outside the zone: 0 for the character there, 2 for any other.
  float loss(std::size_t line, std::size_t column, char c) const noexcept {
    if (line >= lines.size() || column >= lines[line].size()) return 2;
    const char read = lines[line][column];
    if (c == read) return 0;
    const auto k = kMrzAlphabet.find(c), r = kMrzAlphabet.find(read);
    if (line >= scores.size() || column >= scores[line].size() || k == std::string_view::npos ||
        r == std::string_view::npos || scores[line][column].size() != kMrzAlphabet.size())
      return 2;
    const float d = scores[line][column][r] - scores[line][column][k];
    return d > 0 ? d : 0;
  }

  /// How many check digits hold.
  int checks_holding() const noexcept {
    int n = 0;
    for (const auto& c : checks) n += c.ok ? 1 : 0;
    return n;
  }
  /// True when every check digit holds.
  bool all_checks_ok() const noexcept {
    for (const auto& c : checks)
      if (!c.ok) return false;
    return !checks.empty();
  }
  /// The lowest per-character confidence (1 when there are none).
  float min_confidence() const noexcept {
    float m = 1;
    for (const auto& l : confidence)
      for (float c : l) m = c < m ? c : m;
    return m;
  }
};

/// Splits the lines of a zone into fields and verifies its check digits (a failed check is a
/// result, not an error). The format follows from the number and length of the lines (3 x 30:
/// TD1; 2 x 36: TD2 or MRV-B; 2 x 44: TD3 or MRV-A, visas by a document code starting with "V").
/// Errors: Errc::invalid_argument when the lines have no such shape or hold a character outside
/// A-Z 0-9 < (the message names the line and column).
SDC_EXPORT Result<MrzReading> parse_mrz(const std::vector<std::string>& lines);

/// Options of `read_mrz` / `MrzReader`.
struct MrzReadOptions {
  /// The OCR-B font the reference glyphs are rendered from. Empty: OCRB.otf of the installed
  /// fonts (`Resources::installed().font("OCRB.otf")`).
  std::filesystem::path ocrb_font;
  /// Images with more pixels are reduced (area averaging) before anything else, which bounds the
  /// work; characters must stay at least about 10 pixels high after the reduction.
  std::int64_t max_pixels = 24'000'000;
  /// Use field types and check digits to correct confusable characters (0/O, 1/I, 8/B, 5/S, 2/Z,
  /// 6/G, ...); every change is listed in `MrzReading::corrections`.
  bool correct = true;
};

/// Reads machine-readable zones from images. Holds the reference glyphs rendered once from the
/// font; immutable after creation, cheap to copy (shared), safe to use from many threads at once.
///
/// What it reads: one ICAO 9303 zone (TD1, TD2, TD3, MRV-A, MRV-B) printed in OCR-B, dark on a light
/// background, in an image of a card or page: a rectified card, a flatbed scan, or a photo. The
/// zone may lie at any angle (upright first, then on its side, then in between; a zone that reads
/// only when turned by 180 degrees is read so), capital letters 10 to 200 pixels
/// high (150 to 1200 dpi for a card), with uneven light, blur, noise, JPEG artefacts and a light
/// printed background. It does not undo perspective: rectify a photo first.
///
/// How (see docs/mrz.md): dark-ink components are chained into text lines; two or three parallel
/// lines of equal length with 30, 36 or 44 evenly spaced characters make a candidate zone; each line
/// is resampled to a fixed character height and every cell is compared with the reference glyphs
/// (normalised cross-correlation); field types and check digits then resolve confusable
/// characters. Of several candidates, the one with the most check digits holding wins. When no
/// zone is found, the search runs once more with the ink threshold at its floor (a zone partly
/// faded by glare), so a failing read costs twice a successful one.
class SDC_EXPORT MrzReader {
 public:
  /// An empty reader: `read` returns Errc::invalid_argument.
  MrzReader() = default;
  /// Renders the reference glyphs. Errors: Errc::bad_font naming the font file when it cannot be
  /// loaded or lacks a glyph of A-Z 0-9 <.
  static Result<MrzReader> create(const MrzReadOptions& options = {});

  /// Finds and reads the zone. Accepts gray8, rgb8, rgba8 (alpha ignored) and cmyk8 images.
  /// Errors: Errc::invalid_argument for an empty image or an empty reader; Errc::bad_image when no
  /// zone is found (the message says what was seen: no text lines, lines that are not a zone,
  /// lines whose glyphs match OCR-B too poorly to be one);
  /// Errc::limit_exceeded when memory runs out. A zone found but misread is a reading whose
  /// checks fail, not an error. Never throws.
  Result<MrzReading> read(const ImageView& image) const;

  struct Impl;

 private:
  explicit MrzReader(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

/// `MrzReader::create(options)` then `read(image)`: convenient, but renders the glyphs on every call
/// (about a millisecond); keep an MrzReader to read many images.
SDC_EXPORT Result<MrzReading> read_mrz(const ImageView& image, const MrzReadOptions& options = {});

}  // namespace sdc
