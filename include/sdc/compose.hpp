/// @file compose.hpp
/// Template + Record + Photo + Issuer -> Card.
///
/// `compose()` decides everything a card shows: field text is substituted and shaped (with font
/// fallback and fit-to-box), the photo is cropped around the face, personal security patterns are
/// derived, the MRZ and the signed seal are computed. The resulting `Card` is an immutable value
/// that any number of renderers and exporters can draw, at any resolution.
#pragma once

#include <sdc/api.hpp>
#include <sdc/display.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/record.hpp>
#include <sdc/resources.hpp>
#include <sdc/template.hpp>
#include <sdc/units.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

class FontSet;
class Signer;

/// Who issues the card: codes printed and sealed, the secret pattern seed, the signing key.
struct Issuer {
  std::string code;  ///< ICAO-style issuing state / organisation code; empty: the template's (XXA: specimen)
  std::string name;  ///< empty: the template's
  /// Secret issuer pattern seed (any length, 16+ bytes recommended). The static guilloché comes
  /// from it; each card's personal variant is derived from it and the document number with
  /// HMAC-SHA256 (docs/security-features.md). Empty: the template's own seed is used.
  std::vector<std::uint8_t> pattern_seed;
  /// Signs the card's seal. Null: a template with a seal element fails with Errc::bad_key, unless
  /// `ComposeOptions::specimen_key` is set.
  std::shared_ptr<const Signer> signer;
};

/// Reads an issuer profile (docs/template.md, "Issuer profiles"): a JSON file
///
///     {"sdc_issuer": 1, "code": "XXA", "name": "Specimen Issuing Authority",
///      "key": "key.pem", "cert": "cert.pem", "pattern_seed_file": "pattern-seed.hex"}
///
/// with paths relative to the profile. The key and certificate load as `load_signer()` loads them
/// (`passphrase` for an encrypted key). The pattern seed file holds 16 or more bytes as hex and must
/// be readable by its owner only (mode 0600): it is the secret from which every card's guilloché
/// is derived. Errors: Errc::io and Errc::invalid_template naming the file and key,
/// Errc::bad_key (key, certificate or seed unusable, seed file readable by others).
SDC_EXPORT Result<Issuer> load_issuer(const std::filesystem::path& profile, std::string_view passphrase = {});

/// Reads what a checker needs from an issuer profile: `code`, `name` and the pattern seed (same
/// file rules as load_issuer). The key and certificate are neither read nor required to exist (a
/// checker does not hold the signing key); `signer` is null. Errors as load_issuer, without those
/// of the key. Thread-safe.
SDC_EXPORT Result<Issuer> load_issuer_seed(const std::filesystem::path& profile);

struct ComposeOptions {
  /// Use this photo instead of the record's `photo` field (which is a path relative to the record);
  /// the record then needs no `photo` field.
  const Image* photo = nullptr;
  /// The resolution the card is composed for: curves are flattened to a quarter of its device
  /// pixel and line screens traced for it. Render at this dpi (a card renders at any dpi, but finer
  /// output than this shows the flattening). 72 to 2400.
  Dpi dpi{600};
  /// Resolution at which the cropped portrait is kept inside the card (the renderer resamples it
  /// to the output dpi). 0: `dpi`, the resolution the card is composed for (a portrait kept finer
  /// than the output is only resampled down again at every render). Otherwise 72 to 2400.
  Dpi photo_dpi{0};
  /// Unix time used for the seal's issued-at; 0 means "derive from the record's issue_date" so
  /// output stays deterministic.
  std::int64_t now_unix = 0;
  /// The folder every record's photo must be in (or below). Empty: the record's own folder
  /// (Record::base_dir, the folder of the records file; the working directory for a record built in
  /// memory). A path that leaves it (`..`, an absolute path elsewhere) is refused as
  /// `invalid_field` before anything is opened, so the error says nothing about what exists
  /// outside. Checked on the path's text (relative paths resolved against the record's folder): a
  /// symbolic link inside the folder is its owner's choice.
  std::filesystem::path photo_root;
  /// Let a record's photo path name any file the process can read (photo_root is then ignored).
  /// Only for records the caller wrote itself; never for records that come from others.
  bool allow_any_photo_path = false;
};

/// A composed card: what each side draws (display.hpp) and what was computed for it. A value:
/// immutable, cheap to copy (shared), safe to read and render from many threads.
class SDC_EXPORT Card {
 public:
  Card() = default;
  bool empty() const noexcept { return impl_ == nullptr; }
  SideGeometry geometry() const noexcept;
  bool has_side(Side side) const noexcept;
  /// The display list of a side (empty when the template has no such side).
  const SideDisplay& display(Side side) const noexcept;
  /// The items of a side: name, type, box, ink and whether personal.
  std::vector<ElementInfo> items(Side side) const;
  /// The dpi the card was composed for (`ComposeOptions::dpi`).
  Dpi dpi() const noexcept;
  /// The template's name and content identifier (`Template::content_id()`).
  const std::string& template_name() const noexcept;
  const std::string& template_id() const noexcept;
  /// Things worth a look that did not stop composition ("no face found: centred crop").
  const std::vector<std::string>& warnings() const noexcept;
  /// The record the card was made from.
  const Record& record() const noexcept;
  /// The seal text carried in the QR code ("" when the template has no seal).
  const std::string& seal_text() const noexcept;
  /// The three MRZ lines (empty when the template has no MRZ).
  const std::vector<std::string>& mrz_lines() const noexcept;
  /// The portrait as cropped for the photo box (empty when no element prints the portrait). The
  /// crop has the aspect of the template's first `photo` (or `photo_lines`, else `ghost`) element;
  /// the seal's photo hash is computed on exactly these pixels.
  const Image& portrait() const noexcept;
  /// Identifier of the personal security pattern (hex), recorded in the seal.
  const std::string& pattern_id() const noexcept;

  struct Impl;
  explicit Card(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

/// Per-worker state of `Composer::compose`, reused from card to card: the static display items
/// this worker has used and its own face classifiers (FaceScratch), so that once warm a card is
/// composed without the composer's or the face detector's lock, or a key built per element. Not thread-safe: one per
/// thread. Cards composed with or without one are the same.
class SDC_EXPORT ComposeScratch {
 public:
  ComposeScratch();
  ~ComposeScratch();
  ComposeScratch(ComposeScratch&&) noexcept;
  ComposeScratch& operator=(ComposeScratch&&) noexcept;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  friend class Composer;
};

/// Holds the expensive shared state of composition: fonts, the face detector, and a cache of the
/// static display items of the templates it composed (per template, issuer seed, side and dpi:
/// internally synchronised, bounded). Observably immutable after creation; `compose` is safe to
/// call from many threads.
class SDC_EXPORT Composer {
 public:
  /// Loads the fonts (`resources.fonts()`) and the face detector (`resources.face_cascade`).
  /// Errors: Errc::bad_font, Errc::io with the path.
  static Result<Composer> create(const Resources& resources = Resources::installed());

  /// Composes one card. The record is validated against the template's schema first; errors name
  /// the record (file, line, index) and field, the template element, or the photo file.
  Result<Card> compose(const Template& tmpl, const Record& record, const Issuer& issuer,
                       const ComposeOptions& options = {}) const;
  /// The same with a per-worker scratch (the batch path): the same card, without taking the
  /// composer's lock once `scratch` has seen the template, issuer and dpi.
  Result<Card> compose(const Template& tmpl, const Record& record, const Issuer& issuer, const ComposeOptions& options,
                       ComposeScratch& scratch) const;

  const FontSet& fonts() const noexcept;

  struct Impl;

 private:
  Result<Card> compose_with(const Template& tmpl, const Record& record, const Issuer& issuer,
                            const ComposeOptions& options, ComposeScratch::Impl* scratch) const;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace sdc
