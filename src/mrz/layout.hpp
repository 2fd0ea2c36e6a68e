// Internal: the layout of each MRZ format (field types per position, check digits) shared by the
// text parser and the image reader's corrector.
#pragma once

#include <sdc/mrz.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sdc::mrz {

/// The 37 characters of the MRZ alphabet in classifier order: 0-9, A-Z, <.
inline constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
inline constexpr int kAlphabetSize = 37;
/// Index of c in kAlphabet, -1 for any other character.
int alphabet_index(char c) noexcept;

/// What a position may hold.
enum class CharClass : char {
  digit = 'D',  ///< 0-9 (dates, check digits); "<" allowed too (unknown date parts, empty checks)
  alpha = 'A',  ///< A-Z and < (states, names, document code)
  alnum = 'N',  ///< A-Z, 0-9 and < (document number, optional data)
  sex = 'S',    ///< F, M, X, <
};
bool allowed(CharClass c, char ch) noexcept;

/// A range of one line, [begin, end).
struct Span {
  int line = 0, begin = 0, end = 0;
};

/// One check digit and the characters it covers.
struct CheckSpec {
  std::string field;
  std::vector<Span> covers;
  int line = 0, column = 0;
  bool empty_may_be_filler = false;  ///< TD3 personal number: all "<" may be checked by "<"
};

/// The shape a set of lines has, if any (visas by their document code).
std::optional<MrzFormat> format_of(const std::vector<std::string>& lines);

/// Field classes per line and column for a format (strings of CharClass letters).
std::vector<std::string> char_classes(MrzFormat f);

/// The check digits of a zone; depends on the lines for a TD1/TD2 long document number.
std::vector<CheckSpec> check_specs(MrzFormat f, const std::vector<std::string>& lines);

/// Evaluates one check on the lines.
MrzCheck evaluate(const CheckSpec& spec, const std::vector<std::string>& lines);

/// Fields and checks of well-shaped lines (A-Z 0-9 < of the format's lengths).
MrzReading parse_shaped(MrzFormat f, const std::vector<std::string>& lines);

}  // namespace sdc::mrz
