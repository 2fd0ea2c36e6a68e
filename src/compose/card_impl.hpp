// The internal shape of a composed card.
#pragma once

#include <sdc/compose.hpp>

#include <memory>
#include <vector>

#include "template/model.hpp"

namespace sdc {

struct Card::Impl {
  SideGeometry geometry;
  std::shared_ptr<const Template::Impl> tmpl;  ///< keeps the template alive; identity for caches
  Record record;
  std::vector<std::shared_ptr<const detail::Item>> front, back;
  std::vector<std::string> warnings;
  std::string seal_text;
  std::vector<std::string> mrz_lines;
  Image portrait;
  std::string pattern_id;
  const std::vector<std::shared_ptr<const detail::Item>>& items(Side s) const {
    return s == Side::front ? front : back;
  }
  detail::Rgba background(Side s) const { return s == Side::front ? tmpl->front_background : tmpl->back_background; }
};

}  // namespace sdc
