// Text elements: static text with {field} references, and the shorthand "field" type.
#include <algorithm>

#include "template/elements.hpp"

namespace sdc::detail {

Result<std::vector<FieldRef>> parse_field_refs(JsonReader& r, const std::string& key, const std::string& t) {
  std::vector<FieldRef> refs;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if ((t[i] == '{' || t[i] == '}') && i + 1 < t.size() && t[i + 1] == t[i]) {
      ++i;
      continue;
    }
    if (t[i] == '}') return r.error(key, "a '}' without its '{'.", "write '}}' for a literal brace.");
    if (t[i] != '{') continue;
    const auto close = t.find('}', i);
    if (close == std::string::npos)
      return r.error(key, "a '{' is never closed.", "write {field_name} or '{{' for a literal brace.");
    std::string inner = t.substr(i + 1, close - i - 1);
    FieldRef ref;
    if (auto colon = inner.find(':'); colon != std::string::npos) {
      ref.field = inner.substr(0, colon);
      ref.format = inner.substr(colon + 1);
    } else {
      ref.field = inner;
    }
    if (ref.field.empty() || !std::all_of(ref.field.begin(), ref.field.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        }))
      return r.error(key, "'{" + inner + "}' is not a field reference.",
                     "write {field_name} or {date_field:DD.MM.YYYY}; names use letters, digits and _.");
    refs.push_back(std::move(ref));
    i = close;
  }
  return refs;
}

void depend_on(Dependencies& deps, const std::vector<FieldRef>& refs) {
  for (const auto& r : refs) deps.fields.push_back(r.field);
}

namespace {

ParseResult parse_text_common(JsonReader& r, ElementCommon c, std::string text) {
  TextElement s;
  s.text = std::move(text);
  SDC_TRY_ASSIGN(s.refs, parse_field_refs(r, r.has("text") ? "text" : "field", s.text));
  depend_on(c.deps, s.refs);
  SDC_TRY_ASSIGN(s.style.family, r.string("font", std::string("Noto Sans")));
  SDC_TRY_ASSIGN(s.style.bold, r.boolean("bold", false));
  SDC_TRY_ASSIGN(const double size, r.number("size", 4, 72, 8.0, "pt"));
  s.style.size = Pt{size};
  SDC_TRY_ASSIGN(const double min_size, r.number("min_size", 4, 72, std::min(size, 5.0), "pt"));
  if (min_size > size) return r.error("min_size", "'min_size' is larger than 'size'.", "make min_size at most size.");
  s.fit.min_size = Pt{min_size};
  SDC_TRY_ASSIGN(s.fit.max_lines, r.integer("max_lines", 1, 16, 2));
  SDC_TRY_ASSIGN(s.style.letter_spacing_em, r.number("letter_spacing", -0.5, 2, 0.0, "em"));
  SDC_TRY_ASSIGN(const std::string align,
                 r.choice("align", {"start", "center", "end", "left", "right"}, std::string("start")));
  using A = FitOptions::Align;
  s.fit.align = align == "start"    ? A::start
                : align == "center" ? A::center
                : align == "end"    ? A::end
                : align == "left"   ? A::left
                                    : A::right;
  SDC_TRY_ASSIGN(const std::string valign, r.choice("valign", {"top", "middle", "bottom"}, std::string("top")));
  s.fit.valign = valign == "top"      ? FitOptions::VAlign::top
                 : valign == "middle" ? FitOptions::VAlign::middle
                                      : FitOptions::VAlign::bottom;
  SDC_TRY_ASSIGN(s.style.language, r.string("language", std::string()));
  SDC_TRY_ASSIGN(s.color, r.color("color", Rgba{0, 0, 0, 1}));
  SDC_TRY_ASSIGN(s.uppercase, r.boolean("uppercase", false));
  return make_spec(std::move(c), std::move(s));
}

}  // namespace

ParseResult parse_text(JsonReader& r, ElementCommon c, const Base&) {
  SDC_TRY_ASSIGN(std::string text, r.string("text", std::nullopt));
  return parse_text_common(r, std::move(c), std::move(text));
}

ParseResult parse_field(JsonReader& r, ElementCommon c, const Base&) {
  SDC_TRY_ASSIGN(const std::string field, r.string("field", std::nullopt));
  SDC_TRY_ASSIGN(const std::string fmt, r.string("date_format", std::string()));
  return parse_text_common(r, std::move(c), "{" + field + (fmt.empty() ? "" : ":" + fmt) + "}");
}

}  // namespace sdc::detail
