// Internals of the checker, reachable from tests: how findings, verdicts and errors are derived.
#pragma once

#include <sdc/compose.hpp>
#include <sdc/mrz.hpp>
#include <sdc/photo.hpp>
#include <sdc/record.hpp>
#include <sdc/verify.hpp>

#include "forensics/forensics.hpp"

#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

namespace detail {

/// A print bleed is at most this wide (mm): an image taken as the card with a wider margin may be a
/// photo of that aspect (locate_card searches it; check_card doubts it when nothing is found).
inline constexpr double kPrintBleedMm = 3.0;

/// What copy detection keeps between checks, by key, shared by a Checker's copies: the references
/// of card sides whose fine lines are all static (the back of a card whose personal guilloché is on
/// the front), the same for every card of a template and issuer, made once per key (about 60 ms per
/// 600-dpi side); and every side's base (forensics::CopyBase: its static fine lines and marks, 30 to
/// 60 ms). Holds at most kMax, dropping the oldest. Thread-safe; two threads that miss at once both
/// make it, and one copy is kept. T is empty() when default-made.
template <class T>
class KeptCache {
 public:
  static constexpr std::size_t kMax = 4;
  T find(const std::string& key) const {
    std::lock_guard lock(mutex_);
    for (const auto& [k, v] : entries_)
      if (k == key) return v;
    return {};
  }
  void add(const std::string& key, T value) {
    std::lock_guard lock(mutex_);
    for (const auto& e : entries_)
      if (e.first == key) return;
    if (entries_.size() >= kMax) entries_.pop_front();
    entries_.emplace_back(key, std::move(value));
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<std::pair<std::string, T>> entries_;
};
using CopyReferenceCache = KeptCache<forensics::CopyReference>;
using CopyBaseCache = KeptCache<forensics::CopyBase>;

/// The face detector of stage 3, loaded on first use, not at Checker::create: parsing the cascade
/// costs 15 to 30 ms, and only a portrait that does not match its seal needs it. Shared by a
/// Checker's copies; thread-safe (the first caller loads it, the others wait).
class LazyFaceDetector {
 public:
  explicit LazyFaceDetector(FaceDetectorOptions options) : options_(std::move(options)) {}
  /// Empty when the cascade could not be loaded.
  const FaceDetector& get() const;

 private:
  FaceDetectorOptions options_;
  mutable std::once_flag once_;
  mutable FaceDetector faces_;
};

/// What composing an expected card needs besides its template and data: the composer (fonts), an
/// ephemeral signer (the expected card's seal is never read, but composition signs one) and a
/// stand-in portrait (the forensics do not look at it). Made at Checker::create when it holds
/// pattern seeds; else on demand (a seedless check whose portrait fails, for the side's labels).
struct ExpectedCardTools {
  std::optional<Composer> composer;
  std::shared_ptr<const Signer> signer;
  Image stand_in_photo;
};
Result<ExpectedCardTools> expected_card_tools(const Resources& resources);

}  // namespace detail

/// What a Checker shares between its copies.
struct Checker::State {
  TrustStore trust;
  CheckerOptions options;
  /// Composes the expected card for `pattern`, `copy` and `text`: made at create when
  /// options.pattern_seeds is not empty, else absent.
  std::optional<detail::ExpectedCardTools> expected;
  /// Reads printed MRZs (stage 6); empty when its font could not be loaded (`mrz_reader_error`).
  std::optional<MrzReader> mrz_reader;
  std::string mrz_reader_error;
  /// Looks for a face where the template puts the portrait when the portrait does not match the
  /// seal (stage 3); its detector is empty when the cascade could not be loaded, and then a
  /// mismatch always fails. Never null.
  std::shared_ptr<const detail::LazyFaceDetector> faces;
  /// Never null (a const State still fills it).
  std::shared_ptr<detail::CopyReferenceCache> copy_references = std::make_shared<detail::CopyReferenceCache>();
  /// Never null, as copy_references.
  std::shared_ptr<detail::CopyBaseCache> copy_bases = std::make_shared<detail::CopyBaseCache>();
};

}  // namespace sdc

namespace sdc::detail {

/// The error a Checker method returns when an exception stopped it: Errc::limit_exceeded for
/// std::bad_alloc, Errc::internal for anything else. `doing` says what was under way.
Error error_from_exception(std::exception_ptr e, std::string_view doing) noexcept;

/// The error for a verification that could not finish (SealReason::out_of_memory or
/// ::internal_error); empty for any other reason.
std::optional<Error> error_from_verification(const SealVerification& v);

/// Appends the findings seal_format .. expiry for seal number `index` of a report.
void add_seal_findings(const SealResult& seal, int index, PayloadFormat format, std::vector<Finding>& out);

/// The photo finding for seal `index`: `portrait_hash` empty when no portrait was given.
Finding photo_finding(SealResult& seal, int index, std::span<const std::uint8_t> portrait_hash, int threshold);

/// True when `v` is a CBOR map with the integer key 0 (an sdc payload's version), however broken.
bool looks_like_sdc_payload(const CborValue& v) noexcept;

/// True for the checks about reading the card rather than judging it (`image`, `locate`, `qr`,
/// `seal_format`): their failure makes a card unreadable or suspicious, never invalid.
bool is_reading_check(std::string_view check) noexcept;

/// The check time of a report: options.check_time, else the system clock.
std::int64_t check_time(const CheckerOptions& o);

/// Verifies one seal text into report.seals / report.findings. Errors only for an unfinished check.
Status check_one(const Checker& c, std::string_view text, Report& r);

/// The verdict of a set of findings (rules in verify.hpp).
Verdict verdict_of(const std::vector<Finding>& findings) noexcept;

/// Sets report.verdict and report.summary from its findings.
void conclude(Report& report);

/// Maps `p` through the homography taking the points `from` to the points `to` (any plane to any
/// plane); empty when the four points are degenerate.
std::optional<ImagePoint> map_point(const std::array<ImagePoint, 4>& from, const std::array<ImagePoint, 4>& to,
                                    ImagePoint p);

/// The image turned by 180 degrees.
Image rotated_180(const ImageView& image);

/// What the card-level checks get for one side of the card (stage 1 done).
struct CardSide {
  Side side = Side::front;
  Image* card = nullptr;       ///< rectified to the trim box at `dpi`, upright when known
  bool upright_known = false;  ///< false: the card may be upside down
  Dpi dpi{300};
  /// Set by a check that found the card upside down and turned `card` (then upright_known).
  bool turned = false;
  /// Why the card's place in the image is in doubt ("" when it is not): the image was taken as the
  /// card itself though its margin is wider than a print bleed (`uncertain_location`), or no face
  /// shows where the template puts the portrait, or it shows out of place (the photo check's
  /// `no_face` and `face_misplaced`, set by add_card_findings). A print check that fails there is a
  /// retake, not a verdict.
  std::string location_doubt;
};

/// Why `location` (of a card of `format` in an image of `width` x `height` pixels) may not be the
/// card's place: the image taken as the card itself with a margin wider than a print bleed (3 mm),
/// as a camera's 3:2 photo of a card whose outline was not found has; "" otherwise.
std::string uncertain_location(const CardLocation& location, int width, int height, CardFormat format);

/// Adds the "total" time of `first`, a check that `r` made again, to `r`'s "total" and
/// "first_check" stages.
void add_first_check(Report& r, const Report& first);

/// The card-level checks after the seal: the photo binding today; the MRZ, pattern binding and
/// copy detection go here. `sides` are the rectified sides matched to the template's sides (either
/// may be missing); `tmpl` may be empty. A side not known to be upright is turned by the first
/// check that can tell (the portrait's match today; the MRZ could). Appends one finding per check and seal to `report`.
void add_card_findings(std::vector<CardSide>& sides, const Template& tmpl, const CheckerOptions& options,
                       const LazyFaceDetector& faces, Report& report);

/// A located side for the print forensics: the raw image and the card's trim corners in it
/// (upright when `upright_known`), and the capture resolution estimated from the card's size.
struct ForensicSide {
  Side side = Side::front;
  ImageView raw;
  std::array<ImagePoint, 4> corners{};
  bool upright_known = false;
  double capture_dpi = 0;
  double edge_mm = 0;          // CaptureQuality::edge_mm (0: not measured)
  std::string location_doubt;  // as CardSide::location_doubt
  // The finer of the card's two directions' capture resolution over the coarser's (capture_dpi):
  // 1 seen face on, more when the card is tilted before the camera.
  double foreshortening = 1;
};

/// The record a seal's payload describes, with the field names of compose's records (the inverse
/// of seal_payload_from_record as far as the payload carries it; the office code fills both
/// issuing_office and issuing_office_code).
Record record_from_payload(const SealPayload& payload);

/// Stage 6: reads the MRZ on the side the template prints it on and adds one `mrz` finding per
/// seal (verify/mrz_check.hpp).
void add_mrz_findings(const std::vector<CardSide>& sides, const Template& tmpl, const Checker::State& state, Report& r);

/// The `pattern`, `copy` and `text` findings per seal (rules in verify.hpp): the expected card
/// composed from the seal's data with the issuer's seed, each side rectified at
/// options.forensic_dpi. `placed`, when not null, receives for each side the trim corners its
/// template's labels place it at, where a check failed on the side, its labels were not in place,
/// and they place it (kPlacingSearchMm in check_card.cpp); nullopt for the others.
void add_forensic_findings(const std::vector<ForensicSide>& sides, const Template& tmpl, const Checker::State& state,
                           Report& report, std::vector<std::optional<std::array<ImagePoint, 4>>>* placed = nullptr);

/// At most `max` bytes of `s`, with "..." appended when cut (the cut may split a UTF-8 sequence;
/// the JSON writer replaces what is left of it).
std::string clip(std::string_view s, std::size_t max = 1024);

}  // namespace sdc::detail
