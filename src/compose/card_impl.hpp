// The internal shape of a composed card: plain data.
#pragma once

#include <sdc/compose.hpp>

#include <string>
#include <vector>

namespace sdc {

struct Card::Impl {
  SideGeometry geometry;
  std::string template_name, template_id;
  Dpi dpi{600};
  bool has_front = false, has_back = false;
  SideDisplay front, back;
  Record record;
  std::vector<std::string> warnings;
  std::string seal_text;
  std::vector<std::string> mrz_lines;
  Image portrait;
  std::string pattern_id;
  const SideDisplay& side(Side s) const { return s == Side::front ? front : back; }
};

}  // namespace sdc
