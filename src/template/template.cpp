#include <sdc/template.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "core/digest.hpp"
#include "core/read_file.hpp"
#include "template/model.hpp"
#include "template/specs.hpp"

namespace sdc {

namespace detail {

Error ElementCommon::locate(Error e, const std::string& prefix) const {
  Where w = e.where();
  w.file = file;
  w.json_path = json_path;
  w.line = line;
  w.element = name;
  return Error(e.code(), prefix + e.message(), e.hint(), std::move(w));
}

}  // namespace detail

namespace {

using detail::JsonReader;

Result<RecordSchema> parse_schema(JsonReader& r) {
  SDC_TRY_ASSIGN(const std::string base, r.choice("schema", {"docket", "none"}, std::string("docket")));
  RecordSchema schema = base == "docket" ? RecordSchema::docket() : RecordSchema{};
  if (!r.has("fields")) return schema;
  SDC_TRY_ASSIGN(auto n, r.array_size("fields", 0, 200));
  for (std::size_t i = 0; i < n; ++i) {
    auto f = r.at("fields", i);
    FieldRule rule;
    SDC_TRY_ASSIGN(const std::string name, f.string("name", std::nullopt));
    rule.name = name;
    SDC_TRY_ASSIGN(const std::string type,
                   f.choice("type", {"text", "date", "digits", "country", "choice", "path"}, std::string("text")));
    static const std::pair<const char*, FieldType> types[] = {
        {"text", FieldType::text},       {"date", FieldType::date},     {"digits", FieldType::digits},
        {"country", FieldType::country}, {"choice", FieldType::choice}, {"path", FieldType::path}};
    for (const auto& [w, t] : types)
      if (type == w) rule.type = t;
    SDC_TRY_ASSIGN(auto req, f.boolean("required", true));
    rule.required = req;
    SDC_TRY_ASSIGN(auto mn, f.integer("min_length", 0, 10000, 0));
    SDC_TRY_ASSIGN(auto mx, f.integer("max_length", 0, 10000, 200));
    rule.min_length = static_cast<std::size_t>(mn);
    rule.max_length = static_cast<std::size_t>(mx);
    if (f.has("choices")) {
      SDC_TRY_ASSIGN(auto cn, f.array_size("choices", 1, 100));
      for (std::size_t k = 0; k < cn; ++k) {
        const auto& c = f.json()["choices"][k];
        if (!c.is_string())
          return f.error("choices", "every entry of 'choices' must be a string.", "quote each allowed value.");
        rule.choices.push_back(c.get<std::string>());
      }
    } else if (rule.type == FieldType::choice) {
      return f.error("", "a field of type 'choice' needs a 'choices' list.", "add \"choices\": [\"a\", \"b\"].");
    }
    SDC_TRY(f.check_unknown_keys());
    bool replaced = false;
    for (auto& existing : schema.rules)
      if (existing.name == rule.name) existing = rule, replaced = true;
    if (!replaced) schema.rules.push_back(std::move(rule));
  }
  return schema;
}

Status parse_side(JsonReader& top, const std::string& key, Side side, Template::Impl& t, std::set<std::string>& names,
                  const std::filesystem::path& base_dir) {
  SDC_TRY_ASSIGN(auto sr, top.object(key));
  JsonReader& s = sr;
  SDC_TRY_ASSIGN(auto bg, s.color("background", Rgba{1, 1, 1, 1}));
  (side == Side::front ? t.front_background : t.back_background) = bg;
  SDC_TRY_ASSIGN(auto n, s.array_size("elements", 0, 5000));
  auto& out = side == Side::front ? t.front : t.back;
  const auto card = card_size(t.geometry.format);
  for (std::size_t i = 0; i < n; ++i) {
    JsonReader e = s.at("elements", i);
    if (!e.json().is_object())
      return e.error("", "an element must be a JSON object.", "write {\"type\": \"rect\", \"name\": ..., ...}.");
    SDC_TRY_ASSIGN(const std::string type, e.string("type", std::nullopt));
    SDC_TRY_ASSIGN(const std::string name, e.string("name", std::nullopt));
    e.set_element(name);
    if (!names.insert(name).second)
      return e.error("name", "another element is already named '" + name + "'.", "give every element a unique name.");
    const detail::ElementKind* kind = nullptr;
    for (const auto& k : detail::element_kinds())
      if (type == k.type) kind = &k;
    if (!kind) {
      std::string known;
      for (const auto& k : detail::element_kinds()) known += (known.empty() ? "" : ", ") + std::string(k.type);
      return e.error("type", "unknown element type '" + type + "'.", "use one of: " + known + ".");
    }
    detail::ElementCommon c;
    c.name = name;
    c.type = type;
    c.side = side;
    c.json_path = e.pointer();
    c.line = e.lines().line_of(e.pointer());
    c.file = t.source;
    // The box may reach into the bleed (negative or past the edge) but not beyond it.
    const double lim = 10.0;
    SDC_TRY_ASSIGN(auto x, e.mm("x", -lim, card.w.v + lim, std::nullopt));
    SDC_TRY_ASSIGN(auto y, e.mm("y", -lim, card.h.v + lim, std::nullopt));
    SDC_TRY_ASSIGN(auto w, e.mm("w", 0.01, card.w.v + 2 * lim, std::nullopt));
    SDC_TRY_ASSIGN(auto h, e.mm("h", 0.01, card.h.v + 2 * lim, std::nullopt));
    c.box = MmRect{x, y, w, h};
    // Looked up, not compared in a ternary chain: GCC 12 -O2 then warns maybe-uninitialized on the
    // moved-from Result (a false positive that -Werror turns into a build failure).
    static const std::pair<const char*, Ink> inks[] = {
        {"process", Ink::process}, {"k", Ink::k}, {"uv", Ink::uv}, {"overlay", Ink::overlay}};
    SDC_TRY_ASSIGN(const std::string ink, e.choice("ink", {"process", "k", "uv", "overlay"}, std::string("process")));
    for (const auto& [word, value] : inks)
      if (ink == word) c.ink = value;
    SDC_TRY_ASSIGN(auto op, e.number("opacity", 0, 1, 1.0, "(0 to 1)"));
    c.opacity = op;
    SDC_TRY_ASSIGN(auto rot, e.number("rotate", -360, 360, 0.0, "degrees"));
    c.rotate_deg = rot;
    e.accept("comment");
    SDC_TRY_ASSIGN(auto el, kind->parse(e, std::move(c), base_dir));
    SDC_TRY(e.check_unknown_keys());
    out.push_back(std::move(el));
  }
  return s.check_unknown_keys();
}

}  // namespace

Result<Template> Template::parse(std::string_view json, const std::string& name,
                                 const std::filesystem::path& base_dir) {
  SDC_TRY_ASSIGN(auto parsed, detail::parse_json_text(json, name));
  detail::JsonLines lines(json);
  auto impl = std::make_shared<Impl>();
  impl->source = name;
  impl->content_id = detail::to_hex(detail::digest_sha256(json));
  JsonReader top(parsed, "", impl->source, lines);
  if (!parsed.is_object())
    return top.error("", "a template must be a JSON object.", "start the file with { \"sdc_template\": 1, ... }.");
  SDC_TRY(top.integer("sdc_template", 1, 1, std::nullopt));
  SDC_TRY_ASSIGN(const std::string tname, top.string("name", std::string("untitled")));
  impl->name = tname;
  SDC_TRY_ASSIGN(const std::string fmt, top.string("format", std::string("ID-1")));
  if (!parse_card_format(fmt, impl->geometry.format))
    return top.error("format", "unknown card format '" + fmt + "'.", "use ID-1, ID-2 or ID-3.");
  SDC_TRY_ASSIGN(auto bleed, top.mm("bleed", 0, 5, 1.0));
  impl->geometry.bleed = bleed;
  SDC_TRY_ASSIGN(auto safe, top.mm("safe_margin", 0, 10, 2.0));
  impl->geometry.safe_margin = safe;
  SDC_TRY_ASSIGN(auto schema, parse_schema(top));
  impl->schema = std::move(schema);
  if (top.has("issuer")) {
    SDC_TRY_ASSIGN(auto ir, top.object("issuer"));
    SDC_TRY_ASSIGN(const std::string code, ir.string("code", std::string("XXA")));
    impl->issuer_code = code;
    SDC_TRY_ASSIGN(const std::string seed, ir.string("pattern_seed", std::string()));
    if (!seed.empty() && !detail::from_hex(seed, impl->pattern_seed))
      return ir.error("pattern_seed", "'pattern_seed' must be hexadecimal.", "write an even number of hex digits.");
    ir.accept("name");
    SDC_TRY(ir.check_unknown_keys());
  }
  top.accept("comment");
  top.accept("description");
  std::set<std::string> names;
  if (top.has("front")) {
    SDC_TRY(parse_side(top, "front", Side::front, *impl, names, base_dir));
    impl->has_front = true;
  }
  if (top.has("back")) {
    SDC_TRY(parse_side(top, "back", Side::back, *impl, names, base_dir));
    impl->has_back = true;
  }
  if (!impl->has_front && !impl->has_back)
    return top.error("", "the template has neither a front nor a back.", "add \"front\": {\"elements\": [...]}.");
  SDC_TRY(top.check_unknown_keys());
  std::string ids = impl->content_id;
  for (const auto* side : {&impl->front, &impl->back})
    for (const auto& e : *side)
      if (const auto* im = detail::spec_as<detail::ImageElement>(*e)) {
        const Image& img = *im->image;  // tightly packed
        const auto bytes = static_cast<std::size_t>(img.width()) * img.height() * channels(img.format());
        ids += "|" + detail::to_hex(detail::digest_sha256(std::span(img.view().data(), bytes)));
      }
  impl->static_id = detail::to_hex(detail::digest_sha256(ids));
  Template t;
  t.impl_ = std::move(impl);
  return t;
}

Result<Template> Template::load(const std::filesystem::path& path) {
  // Real templates are a few kilobytes; 4 MiB leaves room for inline data without letting a
  // hostile file cost gigabytes before its element limit is checked.
  SDC_TRY_ASSIGN(const std::string text, detail::read_input_file(path, 4u << 20, "template file"));
  auto base = path.parent_path();
  if (base.empty()) base = ".";
  return parse(text, path.string(), base);
}

static const std::string empty_string;

const std::string& Template::name() const noexcept {
  return impl_ ? impl_->name : empty_string;
}
const std::string& Template::source() const noexcept {
  return impl_ ? impl_->source : empty_string;
}
const std::string& Template::content_id() const noexcept {
  return impl_ ? impl_->content_id : empty_string;
}
SideGeometry Template::geometry() const noexcept {
  return impl_ ? impl_->geometry : SideGeometry{};
}
bool Template::has_side(Side s) const noexcept {
  return impl_ && (s == Side::front ? impl_->has_front : impl_->has_back);
}
const RecordSchema& Template::schema() const noexcept {
  static const RecordSchema none;
  return impl_ ? impl_->schema : none;
}

std::vector<ElementInfo> Template::elements(Side s) const {
  std::vector<ElementInfo> out;
  if (!impl_) return out;
  for (const auto& e : impl_->side(s))
    out.push_back({e->common.name, e->common.type, s, e->common.box, e->common.ink, e->common.deps.personal()});
  return out;
}

bool Template::has_seal() const noexcept {
  if (!impl_) return false;
  for (const auto* side : {&impl_->front, &impl_->back})
    for (const auto& e : *side)
      if (e->common.deps.seal) return true;
  return false;
}

std::vector<std::string> Template::referenced_fields() const {
  std::vector<std::string> out;
  if (!impl_) return out;
  for (const auto* side : {&impl_->front, &impl_->back})
    for (const auto& e : *side) out.insert(out.end(), e->common.deps.fields.begin(), e->common.deps.fields.end());
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (auto& f : out)
    if (seen.insert(f).second) unique.push_back(std::move(f));
  return unique;
}

}  // namespace sdc
