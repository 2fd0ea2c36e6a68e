// Text elements: static text with {field} references, and the shorthand "field" type.
#include <sdc/text.hpp>

#include <algorithm>

#include "template/elements.hpp"
#include "text/draw_cairo.hpp"

namespace sdc::detail {

Result<std::vector<FieldRef>> parse_field_refs(JsonReader& r, const std::string& key, const std::string& t) {
  std::vector<FieldRef> refs;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      ++i;
      continue;
    }
    if (t[i] == '}' && i + 1 < t.size() && t[i + 1] == '}') {
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

Result<std::string> substitute_fields(const std::string& t, const Record& record, const Element& el,
                                      const ElementCommon& c) {
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
  (void)el;
  return out;
}

namespace {

std::string to_upper_ascii(const std::string& s) {
  // Upper-casing beyond ASCII needs locale-free Unicode tables; sdc upper-cases ASCII letters and
  // leaves other scripts as written (names keep their diacritics, and most scripts have no case).
  std::string out = s;
  for (auto& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return out;
}

struct TextSpec {
  std::string text;
  std::vector<FieldRef> refs;
  TextStyle style;
  FitOptions fit;
  Rgba color{0, 0, 0, 1};
  bool uppercase = false;
};

class TextItem final : public Item {
 public:
  TextItem(ElementCommon c, FontSet fonts, TextLayout layout, Rgba color)
      : Item(std::move(c)), fonts_(std::move(fonts)), layout_(std::move(layout)), color_(color) {}
  void draw(cairo_t* cr, const DrawEnv&) const override {
    cairo_save(cr);
    transform_to_box(cr, common);
    set_source(cr, color_);
    draw_text(cr, fonts_, layout_, common.box.x.v, common.box.y.v);
    cairo_restore(cr);
  }

 private:
  FontSet fonts_;
  TextLayout layout_;
  Rgba color_;
};

class TextElement final : public Element {
 public:
  TextElement(ElementCommon c, TextSpec s) : Element(std::move(c)), s_(std::move(s)) {}
  bool personal() const override { return !s_.refs.empty(); }
  void fields(std::vector<std::string>& out) const override {
    for (const auto& r : s_.refs) out.push_back(r.field);
  }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const override {
    auto text = substitute_fields(s_.text, env.record, *this, common);
    if (!text) return std::move(text).error();
    std::string t = s_.uppercase ? to_upper_ascii(*text) : *text;
    auto layout = fit_text(env.fonts, t, s_.style, MmSize{common.box.w, common.box.h}, s_.fit);
    if (!layout) {
      Error e = std::move(layout).error();
      // The text module wrote the message; add where it happened.
      Where w = e.where();
      w.file = common.file;
      w.json_path = common.json_path;
      w.line = common.line;
      w.element = common.name;
      if (personal()) {
        w.record = env.record.index;
        if (s_.refs.size() == 1) w.field = s_.refs[0].field;
      }
      return Error(
          e.code(),
          e.message() +
              (personal() ? " (record " + std::to_string(env.record.index + 1) + " of " + env.record.source + ")" : ""),
          e.hint(), w);
    }
    auto item = std::make_shared<TextItem>(common, env.fonts, std::move(*layout), s_.color);
    item->personal = personal();
    return std::shared_ptr<const Item>(std::move(item));
  }

 private:
  TextSpec s_;
};

Result<std::shared_ptr<const Element>> parse_text_common(JsonReader& r, ElementCommon c, std::string text) {
  TextSpec s;
  s.text = std::move(text);
  auto refs = parse_field_refs(r, r.has("text") ? "text" : "field", s.text);
  if (!refs) return std::move(refs).error();
  s.refs = std::move(*refs);
  auto font = r.string("font", std::string("Noto Sans"));
  if (!font) return std::move(font).error();
  s.style.family = *font;
  auto bold = r.boolean("bold", false);
  if (!bold) return std::move(bold).error();
  s.style.bold = *bold;
  auto size = r.number("size", 4, 72, 8.0, "pt");
  if (!size) return std::move(size).error();
  s.style.size = Pt{*size};
  auto min_size = r.number("min_size", 4, 72, std::min(*size, 5.0), "pt");
  if (!min_size) return std::move(min_size).error();
  if (*min_size > *size) return r.error("min_size", "'min_size' is larger than 'size'.", "make min_size at most size.");
  s.fit.min_size = Pt{*min_size};
  auto lines = r.integer("max_lines", 1, 16, 2);
  if (!lines) return std::move(lines).error();
  s.fit.max_lines = *lines;
  auto spacing = r.number("letter_spacing", -0.5, 2, 0.0, "em");
  if (!spacing) return std::move(spacing).error();
  s.style.letter_spacing_em = *spacing;
  auto align = r.choice("align", {"start", "center", "end", "left", "right"}, std::string("start"));
  if (!align) return std::move(align).error();
  using A = FitOptions::Align;
  s.fit.align = *align == "start"    ? A::start
                : *align == "center" ? A::center
                : *align == "end"    ? A::end
                : *align == "left"   ? A::left
                                     : A::right;
  auto valign = r.choice("valign", {"top", "middle", "bottom"}, std::string("top"));
  if (!valign) return std::move(valign).error();
  s.fit.valign = *valign == "top"      ? FitOptions::VAlign::top
                 : *valign == "middle" ? FitOptions::VAlign::middle
                                       : FitOptions::VAlign::bottom;
  auto lang = r.string("language", std::string());
  if (!lang) return std::move(lang).error();
  s.style.language = *lang;
  auto color = r.color("color", Rgba{0, 0, 0, 1});
  if (!color) return std::move(color).error();
  s.color = *color;
  auto upper = r.boolean("uppercase", false);
  if (!upper) return std::move(upper).error();
  s.uppercase = *upper;
  return std::shared_ptr<const Element>(std::make_shared<TextElement>(std::move(c), std::move(s)));
}

}  // namespace

Result<std::shared_ptr<const Element>> parse_text(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  auto text = r.string("text", std::nullopt);
  if (!text) return std::move(text).error();
  return parse_text_common(r, std::move(c), *text);
}

Result<std::shared_ptr<const Element>> parse_field(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  auto field = r.string("field", std::nullopt);
  if (!field) return std::move(field).error();
  auto fmt = r.string("date_format", std::string());
  if (!fmt) return std::move(fmt).error();
  return parse_text_common(r, std::move(c), "{" + *field + (fmt->empty() ? "" : ":" + *fmt) + "}");
}

}  // namespace sdc::detail
