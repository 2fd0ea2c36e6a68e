#include <sdc/units.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace sdc {

bool parse_card_format(std::string_view text, CardFormat& out) noexcept {
  std::string s;
  for (char c : text)
    if (c != '-' && c != '_' && c != ' ') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "id1")
    out = CardFormat::id1;
  else if (s == "id2")
    out = CardFormat::id2;
  else if (s == "id3")
    out = CardFormat::id3;
  else
    return false;
  return true;
}

const char* to_string(CardFormat f) noexcept {
  switch (f) {
    case CardFormat::id1: return "ID-1";
    case CardFormat::id2: return "ID-2";
    case CardFormat::id3: return "ID-3";
  }
  return "?";
}

const char* to_string(Side side) noexcept {
  return side == Side::front ? "front" : "back";
}

const char* to_string(Ink ink) noexcept {
  switch (ink) {
    case Ink::process: return "process";
    case Ink::k: return "k";
    case Ink::uv: return "uv";
    case Ink::overlay: return "overlay";
  }
  return "?";
}

}  // namespace sdc
