// QR codes: the card's signed seal (or static/field text), drawn module by module in K ink with
// the module size snapped to whole device pixels at the output resolution.
#include <sdc/qr.hpp>

#include <cmath>

#include "template/elements.hpp"

namespace sdc::detail {

namespace {

class QrItem final : public Item {
 public:
  QrItem(ElementCommon c, QrMatrix m, int quiet) : Item(std::move(c)), m_(std::move(m)), quiet_(quiet) {}
  void draw(cairo_t* cr, const DrawEnv& env) const override {
    const auto& b = common.box;
    const Mm side{std::min(b.w.v, b.h.v)};
    double module = 0;
    if (env.vector) {
      module = side.v / (m_.size + 2 * quiet_);
    } else {
      const QrLayout l = layout_qr(m_, side, env.dpi, quiet_);
      module = l.module.v;
    }
    const double total = module * (m_.size + 2 * quiet_);
    // Centre the code in the box; on raster output snap the origin to the device pixel grid so
    // every module edge falls on a pixel edge (crisp, full-coverage K modules).
    double x0 = b.x.v + (b.w.v - total) / 2 + quiet_ * module;
    double y0 = b.y.v + (b.h.v - total) / 2 + quiet_ * module;
    cairo_save(cr);
    if (!env.vector) {
      double ux = x0, uy = y0;
      cairo_user_to_device(cr, &ux, &uy);
      ux = std::round(ux), uy = std::round(uy);
      cairo_device_to_user(cr, &ux, &uy);
      x0 = ux, y0 = uy;
      cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int y = 0; y < m_.size; ++y) {
      for (int x = 0; x < m_.size;) {
        if (!m_.at(x, y)) {
          ++x;
          continue;
        }
        int run = 1;
        while (x + run < m_.size && m_.at(x + run, y)) ++run;
        cairo_rectangle(cr, x0 + x * module, y0 + y * module, run * module, module);
        x += run;
      }
    }
    cairo_fill(cr);
    cairo_restore(cr);
  }

 private:
  QrMatrix m_;
  int quiet_;
};

class QrElement final : public Element {
 public:
  QrElement(ElementCommon c, std::string content, std::vector<FieldRef> refs, QrEcLevel ec, int quiet)
      : Element(std::move(c)), content_(std::move(content)), refs_(std::move(refs)), ec_(ec), quiet_(quiet) {}
  bool seal() const { return content_ == "{seal}"; }
  bool personal() const override { return seal() || !refs_.empty(); }
  bool needs_seal() const override { return seal(); }
  bool needs_portrait() const override { return seal(); }  // the seal binds the photo's hash
  void fields(std::vector<std::string>& out) const override {
    for (const auto& r : refs_) out.push_back(r.field);
  }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const override {
    std::string text;
    if (seal()) {
      text = env.seal_text;
      if (text.empty()) return error(Errc::internal, "the seal was not computed.", "report this as a bug.");
    } else {
      auto t = substitute_fields(content_, env.record, *this, common);
      if (!t) return std::move(t).error();
      text = std::move(*t);
    }
    auto m = encode_qr(text, ec_);
    if (!m) {
      Error e = std::move(m).error();
      return error(e.code(), e.message(), e.hint());
    }
    // ISO/IEC 18004 readers and phone cameras need modules of about 0.25 mm or more on a card.
    const double module_mm = std::min(common.box.w.v, common.box.h.v) / (m->size + 2 * quiet_);
    if (module_mm < 0.25 && env.warnings)
      env.warnings->push_back("element '" + common.name + "': QR modules are " +
                              std::to_string(module_mm).substr(0, 5) + " mm (version " + std::to_string(m->version) +
                              "); under 0.25 mm phones read them poorly: enlarge the box or shorten the content.");
    auto item = std::make_shared<QrItem>(common, std::move(*m), quiet_);
    item->personal = personal();
    return std::shared_ptr<const Item>(std::move(item));
  }

 private:
  std::string content_;
  std::vector<FieldRef> refs_;
  QrEcLevel ec_;
  int quiet_;
};

}  // namespace

Result<std::shared_ptr<const Element>> parse_qr(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  auto content = r.string("content", std::string("{seal}"));
  if (!content) return std::move(content).error();
  std::vector<FieldRef> refs;
  if (*content != "{seal}") {
    auto f = parse_field_refs(r, "content", *content);
    if (!f) return std::move(f).error();
    refs = std::move(*f);
  }
  auto ec = r.choice("error_correction", {"L", "M", "Q", "H"}, std::string("M"));
  if (!ec) return std::move(ec).error();
  const QrEcLevel level = *ec == "L"   ? QrEcLevel::L
                          : *ec == "M" ? QrEcLevel::M
                          : *ec == "Q" ? QrEcLevel::Q
                                       : QrEcLevel::H;
  auto quiet = r.integer("quiet_zone", 0, 10, 4);
  if (!quiet) return std::move(quiet).error();
  if (c.ink != Ink::k && c.ink != Ink::process)
    return r.error("ink", "a QR code must print in K (or process) ink to be readable.",
                   "remove 'ink' or set it to \"k\".");
  if (!r.has("ink")) c.ink = Ink::k;
  return std::shared_ptr<const Element>(
      std::make_shared<QrElement>(std::move(c), *content, std::move(refs), level, *quiet));
}

}  // namespace sdc::detail
