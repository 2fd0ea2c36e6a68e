/// @file mrz.hpp
/// The machine-readable zone of ICAO Doc 9303 for TD1 (ID-1 size) documents: three lines of 30
/// characters, their check digits, name transliteration, and a parser that checks a zone read back.
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
#include <sdc/record.hpp>

#include <array>
#include <string>
#include <string_view>

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

}  // namespace sdc
