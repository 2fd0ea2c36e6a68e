#include <sdc/compose.hpp>
#include <sdc/photo.hpp>
#include <sdc/seal.hpp>
#include <sdc/text.hpp>

#include <algorithm>
#include <mutex>
#include <new>
#include <unordered_map>

#include "compose/builders.hpp"
#include "compose/card_impl.hpp"
#include "core/digest.hpp"
#include "core/same_owner.hpp"

namespace sdc {

// ---- Card accessors ----
static const std::vector<std::string> no_strings;
static const std::string no_string;
static const Record no_record;
static const Image no_image;
static const SideDisplay no_side;

SideGeometry Card::geometry() const noexcept {
  return impl_ ? impl_->geometry : SideGeometry{};
}
bool Card::has_side(Side s) const noexcept {
  return impl_ && (s == Side::front ? impl_->has_front : impl_->has_back);
}
const SideDisplay& Card::display(Side s) const noexcept {
  return has_side(s) ? impl_->side(s) : no_side;
}
Dpi Card::dpi() const noexcept {
  return impl_ ? impl_->dpi : Dpi{600};
}
const std::string& Card::template_name() const noexcept {
  return impl_ ? impl_->template_name : no_string;
}
const std::string& Card::template_id() const noexcept {
  return impl_ ? impl_->template_id : no_string;
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
  for (const auto& it : display(s).items) out.push_back({it->name, it->type, s, it->box, it->ink, it->personal});
  return out;
}

// ---- Composer ----
struct Composer::Impl {
  FontSet fonts;
  FaceDetector faces;
  // Static display items, shared by every card of a template, issuer seed, side and dpi: key
  // (SideDisplay::static_key + "/" + element index). Cleared when it grows past the bound.
  static constexpr std::size_t kMaxStatic = 4096;
  mutable std::mutex mu;
  mutable std::unordered_map<std::string, std::shared_ptr<const DisplayItem>> statics;
};

// ---- ComposeScratch ----
struct ComposeScratch::Impl {
  // The static items of a side this worker composed: the composer they came from, the side's
  // static_key, and per element index the item (null for personal elements, and until found).
  struct Seen {
    std::weak_ptr<const void> composer;
    std::string static_key;
    std::vector<std::shared_ptr<const DisplayItem>> items;
  };
  static constexpr std::size_t kMaxSeen = 8;  // two sides of a few templates or dpis
  std::vector<Seen> seen;                     // most recently used first
  FaceScratch faces;                          // this worker's face classifiers

  // The entry of `key` (made with `n` empty slots when new), first in `seen`.
  Seen& find(const std::shared_ptr<const void>& composer, const std::string& key, std::size_t n) {
    auto same = [&](const Seen& e) { return e.static_key == key && detail::same_owner(e.composer, composer); };
    auto it = std::find_if(seen.begin(), seen.end(), same);
    if (it == seen.end()) {
      if (seen.size() >= kMaxSeen) seen.pop_back();
      seen.insert(seen.begin(), Seen{composer, key, std::vector<std::shared_ptr<const DisplayItem>>(n)});
    } else if (it != seen.begin()) {
      std::rotate(seen.begin(), it, it + 1);
    }
    if (seen.front().items.size() != n) seen.front().items.assign(n, nullptr);
    return seen.front();
  }
};
ComposeScratch::ComposeScratch() : impl_(std::make_unique<Impl>()) {}
ComposeScratch::~ComposeScratch() = default;
ComposeScratch::ComposeScratch(ComposeScratch&&) noexcept = default;
ComposeScratch& ComposeScratch::operator=(ComposeScratch&&) noexcept = default;

Result<Composer> Composer::create(const Resources& resources) {
  auto impl = std::make_shared<Impl>();
  SDC_TRY_ASSIGN(impl->fonts, FontSet::load(resources.fonts()));
  // Framing a portrait: the LBP cascade confirms its own candidates (about 5 ms less per card;
  // the box moves by up to a tenth of the face, bench/RESULTS.md).
  FaceDetectorOptions fo{.lbp_confirmation = true};
  if (!resources.face_cascade.empty()) fo.cascade_path = resources.face_cascade.string();
  SDC_TRY_ASSIGN(impl->faces, FaceDetector::create(fo));
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

/// The element whose box the portrait is cropped for: the first photo or photo_lines element,
/// else the first ghost. Never a QR code: the seal binds the photo as printed.
const detail::ElementSpec* portrait_element(const Template::Impl& t) {
  for (const char* type : {"photo", "photo_lines", "ghost"})
    for (const auto* side : {&t.front, &t.back})
      for (const auto& e : *side)
        if (e->common.type == type) return e.get();
  return nullptr;
}

// Whether `path` is `root` or below it, on the paths' text (both made absolute, `.` and `..`
// resolved): component by component, so /photos2 is not inside /photos.
bool inside(const std::filesystem::path& path, const std::filesystem::path& root) {
  std::error_code ep, er;
  const auto p = std::filesystem::absolute(path, ep).lexically_normal();
  auto r = std::filesystem::absolute(root, er).lexically_normal();
  if (ep || er) return false;
  if (!r.has_filename()) r = r.parent_path();  // "/photos/" -> "/photos"
  auto pi = p.begin();
  for (auto ri = r.begin(); ri != r.end(); ++ri, ++pi)
    if (pi == p.end() || *pi != *ri) return false;
  return true;
}

Result<Image> load_portrait(const Record& record, const ComposeOptions& options, const detail::ElementSpec& el,
                            const FaceDetector& faces, FaceScratch* face_scratch, std::vector<std::string>& warnings) {
  Image loaded;
  const Image* photo = options.photo;
  if (!photo) {
    const auto rel = record.get("photo");
    if (!rel || rel->empty())
      return record.error(Errc::missing_field, "photo", "the template has a photo but the record names no photo file.",
                          "add a 'photo' field with the image's path (relative to the record file), or give the photo "
                          "itself (ComposeOptions::photo; sdc render --photo).");
    std::filesystem::path p(*rel);
    if (p.is_relative()) p = record.base_dir / p;
    if (!options.allow_any_photo_path) {
      const auto& root = options.photo_root.empty() ? record.base_dir : options.photo_root;
      if (!inside(p, root.empty() ? std::filesystem::path(".") : root))
        return record.error(Errc::invalid_field, "photo",
                            "the photo path '" + *rel + "' leaves the photo folder " +
                                (root.empty() ? std::string("(the working directory)") : root.string()) +
                                (options.photo_root.empty() ? " (the record's folder)." : "."),
                            "keep the record's photos in that folder (or below it), or name the folder that holds "
                            "them (ComposeOptions::photo_root; --photo-root DIR); ComposeOptions::allow_any_photo_path "
                            "(--any-photo-path) lifts the limit for records you wrote.");
    }
    auto img = load_image(p);
    if (!img) return std::move(img).error().at_record(record.index).at_field("photo");
    loaded = std::move(*img);
    photo = &loaded;
  }
  const auto& box = el.common.box;
  const Dpi dpi = options.photo_dpi.v > 0 ? options.photo_dpi : options.dpi;
  const int w = std::max(8, to_px(box.w, dpi).v), h = std::max(8, to_px(box.h, dpi).v);
  PortraitOptions po;
  po.dpi = dpi;
  auto crop =
      face_scratch ? crop_portrait(*photo, w, h, faces, po, *face_scratch) : crop_portrait(*photo, w, h, faces, po);
  if (!crop) return std::move(crop).error().at_record(record.index).at_field("photo");
  for (const auto& wmsg : crop->warnings) warnings.push_back("photo: " + wmsg.message);
  return std::move(crop->image);
}

}  // namespace

Result<Card> Composer::compose(const Template& tmpl, const Record& record, const Issuer& issuer,
                               const ComposeOptions& options) const {
  return compose_with(tmpl, record, issuer, options, nullptr);
}

Result<Card> Composer::compose(const Template& tmpl, const Record& record, const Issuer& issuer,
                               const ComposeOptions& options, ComposeScratch& scratch) const {
  return compose_with(tmpl, record, issuer, options, scratch.impl_.get());
}

Result<Card> Composer::compose_with(const Template& tmpl, const Record& record, const Issuer& issuer,
                                    const ComposeOptions& options, ComposeScratch::Impl* scratch) const {
  try {
    if (!impl_) return Error(Errc::invalid_argument, "the Composer is empty.", "create it with Composer::create().");
    if (tmpl.empty()) return Error(Errc::invalid_argument, "the template is empty.", "load it with Template::load().");
    if (options.dpi.v < 72 || options.dpi.v > 2400)
      return Error(Errc::invalid_argument, "dpi " + std::to_string(options.dpi.v) + " is outside 72 to 2400.",
                   "choose 150 for previews, 300 or 600 for printing.");
    if (options.photo_dpi.v != 0 && (options.photo_dpi.v < 72 || options.photo_dpi.v > 2400))
      return Error(
          Errc::invalid_argument, "photo dpi " + std::to_string(options.photo_dpi.v) + " is outside 72 to 2400.",
          "use 0 (the card's dpi), or the finest resolution the card will be printed at.", Where{.field = "photo_dpi"});
    const auto& t = *tmpl.impl();
    if (options.photo && !record.get("photo")) {
      // The caller supplies the photo: the record need not name one.
      RecordSchema schema = tmpl.schema();
      std::erase_if(schema.rules, [](const FieldRule& r) { return r.name == "photo"; });
      SDC_TRY(validate_record(record, schema));
    } else {
      SDC_TRY(validate_record(record, tmpl.schema()));
    }

    auto card = std::make_shared<Card::Impl>();
    card->geometry = t.geometry;
    card->template_name = t.name;
    card->template_id = t.content_id;
    card->dpi = options.dpi;
    card->has_front = t.has_front;
    card->has_back = t.has_back;
    card->record = record;

    if (const auto* el = portrait_element(t)) {
      SDC_TRY_ASSIGN(card->portrait, load_portrait(record, options, *el, impl_->faces,
                                                   scratch ? &scratch->faces : nullptr, card->warnings));
    }

    detail::ComposeEnv env{.record = record,
                           .tmpl = t,
                           .fonts = impl_->fonts,
                           .issuer_code = issuer.code.empty() ? t.issuer_code : issuer.code,
                           .dpi = options.dpi,
                           .portrait = card->portrait.empty() ? nullptr : &card->portrait,
                           .warnings = &card->warnings};
    env.issuer_seed = !issuer.pattern_seed.empty() ? issuer.pattern_seed : t.pattern_seed;
    if (env.issuer_seed.empty()) env.issuer_seed = bytes_of("sdc specimen pattern seed");
    // Personal seed: HMAC-SHA256(issuer seed, "sdc/personal/v1/" + document number); documented in
    // docs/security-features.md so a checker holding the seed can regenerate the pattern.
    const auto doc = record.get("document_number").value_or("");
    const auto personal_seed = detail::hmac_sha256(env.issuer_seed, bytes_of("sdc/personal/v1/" + doc));
    env.personal_seed.assign(personal_seed.begin(), personal_seed.end());
    card->pattern_id = detail::to_hex(std::span(personal_seed).first(8));

    bool needs_mrz = false, needs_seal = false;
    for (const auto* side : {&t.front, &t.back})
      for (const auto& e : *side) {
        needs_mrz = needs_mrz || e->common.deps.mrz;
        needs_seal = needs_seal || e->common.deps.seal;
      }
    if (needs_mrz) {
      auto mrz = detail::compute_mrz_lines(env);
      if (!mrz) return std::move(mrz).error().at_record(record.index);
      env.mrz_lines = std::move(*mrz);
    }

    // The seal: signed payload binding the record, the personal pattern and the printed photo.
    if (needs_seal) {
      if (!issuer.signer)
        return Error(
            Errc::bad_key, "the template carries a signed seal but no signing key was given.",
            "pass the issuer's key and certificate (sdc render --key K --cert C), or load a Signer into Issuer.",
            Where{.file = t.source});
      SealPayload p = seal_payload_from_record(record, env.issuer_code, card->pattern_id, t.content_id);
      if (!card->portrait.empty()) {
        SDC_TRY_ASSIGN(p.photo_hash, photo_hash(card->portrait.view()));
      }
      auto seal = make_seal(p, *issuer.signer);
      if (!seal && seal.error().code() == Errc::does_not_fit && !p.template_id.empty()) {
        // The template id is a convenience for checkers holding several templates: give it up
        // before refusing a card whose data fits without it.
        p.template_id.clear();
        seal = make_seal(p, *issuer.signer);
        if (seal)
          card->warnings.push_back(
              "the seal carries no template id (it would not fit the QR code): check this card "
              "with its template given (CheckerOptions::templates; sdc verify --template)");
      }
      if (!seal) return std::move(seal).error().at_record(record.index);
      env.seal_text = std::move(*seal);
    }

    // The static items' identity: template content (with its images), issuer seed, side and dpi.
    const auto seed_fp = detail::digest_sha256(env.issuer_seed);
    for (const Side s : {Side::front, Side::back}) {
      if (!tmpl.has_side(s)) continue;
      SideDisplay& out = s == Side::front ? card->front : card->back;
      out.background = s == Side::front ? t.front_background : t.back_background;
      out.static_key =
          detail::to_hex(detail::digest_sha256("sdc/static/v1|" + t.static_id + "|" + detail::to_hex(seed_fp) + "|" +
                                               to_string(s) + "|" + std::to_string(options.dpi.v)));
      const auto& specs = t.side(s);
      // This worker's static items of the side: found there, they need neither the lock nor a key.
      ComposeScratch::Impl::Seen* memo = scratch ? &scratch->find(impl_, out.static_key, specs.size()) : nullptr;
      bool in_prefix = true;
      for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& spec = *specs[i];
        const bool personal = spec.common.deps.personal();
        in_prefix = in_prefix && !personal;
        if (in_prefix) ++out.static_prefix;
        if (!personal && memo && memo->items[i]) {
          out.items.push_back(memo->items[i]);
          continue;
        }
        const std::string key = personal ? std::string() : out.static_key + "/" + std::to_string(i);
        if (!personal) {
          std::lock_guard lock(impl_->mu);
          if (auto it = impl_->statics.find(key); it != impl_->statics.end()) {
            if (memo) memo->items[i] = it->second;
            out.items.push_back(it->second);
            continue;
          }
        }
        const detail::Builder build = detail::builder_for(spec.common.type);
        if (!build)
          return spec.common.error(Errc::internal, "no builder for element type '" + spec.common.type + "'.",
                                   "report this as a bug.");
        SDC_TRY_ASSIGN(auto content, build(spec, env));
        const auto& c = spec.common;
        auto item = std::make_shared<const DisplayItem>(DisplayItem{.name = c.name,
                                                                    .type = c.type,
                                                                    .box = c.box,
                                                                    .ink = c.ink,
                                                                    .opacity = c.opacity,
                                                                    .rotate_deg = c.rotate_deg,
                                                                    .personal = personal,
                                                                    .content = std::move(content)});
        if (!personal) {
          std::lock_guard lock(impl_->mu);
          if (impl_->statics.size() >= Impl::kMaxStatic) impl_->statics.clear();
          impl_->statics.emplace(key, item);
          if (memo) memo->items[i] = item;
        }
        out.items.push_back(std::move(item));
      }
    }
    card->seal_text = std::move(env.seal_text);
    card->mrz_lines = std::move(env.mrz_lines);
    return Card(std::move(card));
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory while composing the card.",
                 "lower the dpi or the template's complexity, or give the process more memory.",
                 Where{.record = record.index});
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("unexpected failure while composing the card: ") + e.what(),
                 "report this as a bug, with the template and record.", Where{.record = record.index});
  }
}

}  // namespace sdc
