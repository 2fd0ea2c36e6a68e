#include <sdc/compose.hpp>
#include <sdc/photo.hpp>
#include <sdc/seal.hpp>
#include <sdc/text.hpp>

#include <cstdlib>

#include "compose/card_impl.hpp"
#include "core/digest.hpp"
#include "mrz/mrz_element.hpp"

namespace sdc {

std::filesystem::path default_data_dir() {
  if (const char* env = std::getenv("SDC_DATA_DIR"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(SDC_DEFAULT_DATA_DIR) / "fonts", ec)) return SDC_DEFAULT_DATA_DIR;
  return SDC_INSTALL_DATA_DIR;
}

// ---- Card accessors ----
static const std::vector<std::string> no_strings;
static const std::string no_string;
static const Record no_record;
static const Image no_image;

SideGeometry Card::geometry() const noexcept {
  return impl_ ? impl_->geometry : SideGeometry{};
}
bool Card::has_side(Side s) const noexcept {
  return impl_ && impl_->tmpl && (s == Side::front ? impl_->tmpl->has_front : impl_->tmpl->has_back);
}
const std::vector<std::string>& Card::warnings() const noexcept {
  return impl_ ? impl_->warnings : no_strings;
}
const Record& Card::record() const noexcept {
  return impl_ ? impl_->record : no_record;
}
const std::string& Card::seal_text() const noexcept {
  return impl_ ? impl_->seal_text : no_string;
}
const std::vector<std::string>& Card::mrz_lines() const noexcept {
  return impl_ ? impl_->mrz_lines : no_strings;
}
const Image& Card::portrait() const noexcept {
  return impl_ ? impl_->portrait : no_image;
}
const std::string& Card::pattern_id() const noexcept {
  return impl_ ? impl_->pattern_id : no_string;
}

std::vector<ElementInfo> Card::items(Side s) const {
  std::vector<ElementInfo> out;
  if (!impl_) return out;
  for (const auto& it : impl_->items(s))
    out.push_back({it->common.name, it->common.type, s, it->common.box, it->common.ink, it->personal});
  return out;
}

// ---- Composer ----
struct Composer::Impl {
  FontSet fonts;
  FaceDetector faces;
};

Result<Composer> Composer::create(const ComposerConfig& config) {
  auto impl = std::make_shared<Impl>();
  const auto fonts_dir = config.fonts_dir.empty() ? default_data_dir() / "fonts" : config.fonts_dir;
  auto fonts = FontSet::load(fonts_dir);
  if (!fonts) return std::move(fonts).error();
  impl->fonts = std::move(*fonts);
  FaceDetectorOptions fo;
  if (!config.face_cascade.empty()) fo.cascade_path = config.face_cascade.string();
  auto faces = FaceDetector::create(fo);
  if (!faces) return std::move(faces).error();
  impl->faces = std::move(*faces);
  Composer c;
  c.impl_ = std::move(impl);
  return c;
}

const FontSet& Composer::fonts() const noexcept {
  static const FontSet none;
  return impl_ ? impl_->fonts : none;
}

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

}  // namespace

Result<Card> Composer::compose(const Template& tmpl, const Record& record, const Issuer& issuer,
                               const ComposeOptions& options) const {
  if (!impl_) return Error(Errc::invalid_argument, "the Composer is empty.", "create it with Composer::create().");
  if (tmpl.empty()) return Error(Errc::invalid_argument, "the template is empty.", "load it with Template::load().");
  if (auto st = validate_record(record, tmpl.schema()); !st) return std::move(st).error();
  const auto& t = *tmpl.impl();

  auto card = std::make_shared<Card::Impl>();
  card->geometry = t.geometry;
  card->tmpl = tmpl.impl();
  card->record = record;

  // The portrait is cropped once, for the first element that needs it, at that element's box.
  const detail::Element* photo_el = nullptr;
  for (const auto* side : {&t.front, &t.back})
    for (const auto& e : *side)
      if (!photo_el && e->needs_portrait()) photo_el = e.get();
  if (photo_el) {
    Image loaded;
    const Image* photo = options.photo;
    if (!photo) {
      const auto rel = record.get("photo");
      if (!rel || rel->empty())
        return record.error(
            Errc::missing_field, "photo", "the template has a photo but the record names no photo file.",
            "add a 'photo' field with the image's path (relative to the record file), or pass --photo.");
      std::filesystem::path p(*rel);
      if (p.is_relative()) p = record.base_dir / p;
      auto img = load_image(p);
      if (!img) {
        Error e = std::move(img).error();
        e.at_record(record.index).at_field("photo");
        return e;
      }
      loaded = std::move(*img);
      photo = &loaded;
    }
    const auto& box = photo_el->common.box;
    const int w = std::max(8, to_px(box.w, options.photo_dpi).v), h = std::max(8, to_px(box.h, options.photo_dpi).v);
    PortraitOptions po;
    po.dpi = options.photo_dpi;
    auto crop = crop_portrait(*photo, w, h, impl_->faces, po);
    if (!crop) {
      Error e = std::move(crop).error();
      e.at_record(record.index).at_field("photo");
      return e;
    }
    for (const auto& wmsg : crop->warnings) card->warnings.push_back("photo: " + wmsg.message);
    card->portrait = std::move(crop->image);
  }

  detail::ComposeEnv env{record, tmpl, impl_->fonts, issuer};
  env.portrait = card->portrait.empty() ? nullptr : &card->portrait;
  env.warnings = &card->warnings;
  env.issuer_seed = !issuer.pattern_seed.empty() ? issuer.pattern_seed : t.pattern_seed;
  if (env.issuer_seed.empty()) env.issuer_seed = bytes_of("sdc specimen pattern seed");
  // Personal seed: HMAC-SHA256(issuer seed, "sdc/personal/v1/" + document number); documented in
  // docs/security-features.md so a checker holding the seed can regenerate the pattern.
  const auto doc = record.get("document_number").value_or("");
  const auto personal = detail::hmac_sha256(env.issuer_seed, bytes_of("sdc/personal/v1/" + doc));
  env.personal_seed.assign(personal.begin(), personal.end());
  card->pattern_id = detail::to_hex(std::span(personal).first(8));

  // MRZ (issue 3): computed once, before any element resolves, when an element needs it.
  bool needs_mrz = false;
  for (const auto* side : {&t.front, &t.back})
    for (const auto& e : *side) needs_mrz = needs_mrz || e->needs_mrz();
  if (needs_mrz) {
    auto mrz = detail::compute_mrz_lines(t, env);
    if (!mrz) return std::move(mrz).error().at_record(record.index);
    env.mrz_lines = std::move(*mrz);
  }

  // The seal: signed payload binding the record, the personal pattern and the printed photo.
  bool needs_seal = false;
  for (const auto* side : {&t.front, &t.back})
    for (const auto& e : *side) needs_seal = needs_seal || e->needs_seal();
  if (needs_seal) {
    if (!issuer.signer)
      return Error(Errc::bad_key, "the template carries a signed seal but no signing key was given.",
                   "pass the issuer's key and certificate (sdc render --key K --cert C), or load a Signer into Issuer.",
                   Where{.file = t.source});
    SealPayload p =
        seal_payload_from_record(record, issuer.code.empty() ? t.issuer_code : issuer.code, card->pattern_id);
    if (!card->portrait.empty()) {
      auto h = photo_hash(card->portrait.view());
      if (!h) return std::move(h).error();
      p.photo_hash = std::move(*h);
    }
    auto seal = make_seal(p, *issuer.signer);
    if (!seal) {
      Error e = std::move(seal).error();
      return e.at_record(record.index);
    }
    env.seal_text = std::move(*seal);
  }

  for (const Side s : {Side::front, Side::back}) {
    auto& out = s == Side::front ? card->front : card->back;
    for (const auto& e : t.side(s)) {
      auto item = e->resolve(env);
      if (!item) return std::move(item).error();
      out.push_back(std::move(*item));
    }
  }
  card->seal_text = env.seal_text;
  card->mrz_lines = env.mrz_lines;
  return Card(std::move(card));
}

}  // namespace sdc
