// Text: field substitution, shaping and fitting; template images and the holder's photo.
#include <sdc/text.hpp>

#include <algorithm>

#include "compose/builders.hpp"
#include "core/pixels.hpp"

namespace sdc::detail {

Result<std::string> substitute_fields(const std::string& t, const Record& record, const ElementCommon& c) {
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if ((t[i] == '{' || t[i] == '}') && i + 1 < t.size() && t[i + 1] == t[i]) {
      out += t[i++];
      continue;
    }
    if (t[i] != '{') {
      out += t[i];
      continue;
    }
    const auto close = t.find('}', i);
    std::string inner = t.substr(i + 1, close - i - 1);
    std::string fmt;
    if (auto colon = inner.find(':'); colon != std::string::npos) {
      fmt = inner.substr(colon + 1);
      inner.resize(colon);
    }
    const auto value = record.get(inner);
    if (!value) {
      Error e = record.error(
          Errc::missing_field, inner,
          "the template element '" + c.name + "' refers to the field '" + inner + "', which the record does not have.",
          "add the field to the record, or remove the reference from the template.");
      return e.at_element(c.name);
    }
    if (!fmt.empty()) {
      const auto d = parse_date(*value);
      if (!d)
        return record.error(
            Errc::invalid_field, inner,
            "'" + *value + "' is not a YYYY-MM-DD date, but the element '" + c.name + "' formats it as a date.",
            "write the date as YYYY-MM-DD.");
      out += format_date(*d, fmt);
    } else {
      out += *value;
    }
    i = close;
  }
  return out;
}

namespace {

// Upper-casing beyond ASCII needs locale-free Unicode tables; sdc upper-cases ASCII letters and
// leaves other scripts as written (names keep their diacritics, and most scripts have no case).
void to_upper_ascii(std::string& s) {
  for (auto& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
}

}  // namespace

BuildResult build_text(const ElementSpec& e, const ComposeEnv& env) {
  SDC_TRY_ASSIGN(const TextElement* s, expect_spec<TextElement>(e));
  const auto& c = e.common;
  SDC_TRY_ASSIGN(std::string text, substitute_fields(s->text, env.record, c));
  if (s->uppercase) to_upper_ascii(text);
  auto layout = fit_text(env.fonts, text, s->style, MmSize{c.box.w, c.box.h}, s->fit);
  if (!layout) {
    // The text module wrote the message; add where it happened.
    Error err = c.locate(std::move(layout).error());
    if (!c.deps.personal()) return err;
    Where w = err.where();
    w.record = env.record.index;
    if (s->refs.size() == 1) w.field = s->refs[0].field;
    return Error(err.code(),
                 err.message() + " (record " + std::to_string(env.record.index + 1) + " of " + env.record.source + ")",
                 err.hint(), std::move(w));
  }
  return TextItem{.fonts = env.fonts, .layout = std::move(*layout), .origin = {c.box.x, c.box.y}, .color = s->color};
}

BuildResult build_photo(const ElementSpec& e, const ComposeEnv& env) {
  SDC_TRY_ASSIGN(const PhotoElement* s, expect_spec<PhotoElement>(e));
  const auto& b = e.common.box;
  if (!env.portrait || env.portrait->empty())
    return e.common.error(Errc::internal, "no portrait was prepared for the photo element.", "report this as a bug.");
  auto img = std::make_shared<const Image>(s->gray ? to_gray_keeping_alpha(env.portrait->view())
                                                   : Image::copy_of(env.portrait->view()));
  // Cover the box, centred (the crop already has the box's aspect, up to a pixel).
  const double sx = b.w.v / img->width(), sy = b.h.v / img->height(), k = std::max(sx, sy);
  const double w = img->width() * k, h = img->height() * k;
  ImageItem item{.image = std::move(img),
                 .dest = MmRect{Mm{b.x.v + (b.w.v - w) / 2}, Mm{b.y.v + (b.h.v - h) / 2}, Mm{w}, Mm{h}},
                 .clip = Path{}};
  item.clip->rounded_rect(b.x.v, b.y.v, b.w.v, b.h.v, s->radius);
  return item;
}

}  // namespace sdc::detail
