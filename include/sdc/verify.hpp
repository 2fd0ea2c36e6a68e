/// @file verify.hpp
/// Checking a card: a `Checker` reads the seal (from its text, or from the QR codes of a card
/// image), runs each check and returns a `Report`: an overall verdict, the findings of every
/// check, the decoded data and the time checked at. The JSON form is described in docs/verify.md.
///
/// **Findings.** Each check adds one `Finding` per seal (or one for the whole card): its name
/// (`check`), an `Outcome`, a stable machine-readable `code`, a one-line `reason` for people and,
/// where meaningful, a `score` and the `threshold` it was compared with. The checks today, in the
/// order they appear:
///
///   | check            | what it says                                                           |
///   |------------------|------------------------------------------------------------------------|
///   | `qr`             | (images) QR codes found, and whether one carries the seal prefix       |
///   | `seal_format`    | prefix, Base45, zlib and size limits, COSE_Sign1 structure             |
///   | `seal_signature` | algorithm, kid known to the trust store, signature verifies            |
///   | `certificate`    | the signer certificate is valid at the check time                      |
///   | `revocation`     | neither the signer key nor the document number is revoked              |
///   | `seal_payload`   | the signed payload is of the expected format (an sdc card by default)  |
///   | `expiry`         | the card (or CWT) is not expired, nor issued in the future             |
///   | `photo`          | (images) the printed portrait's hash is within the threshold of the    |
///   |                  | sealed one; score = Hamming distance, threshold = options.photo_threshold |
///   | `image`          | (check_card) the image can be checked: not empty, within max_image_pixels |
///   | `locate`         | (check_card, per side) the card was found and rectified; how (outline, |
///   |                  | whole image, QR code + template) and how many card outlines were seen  |
///   | `template`       | (check_card) the card's template is known (given, or picked by the     |
///   |                  | seal's template_id among CheckerOptions::templates)                    |
///   | `pattern`        | (check_card) the personal guilloché printed on the card is the one the |
///   |                  | issuer's pattern seed and the seal's document number give: score =    |
///   |                  | mean tile correlation (-1..1), threshold = options.pattern_threshold   |
///   | `copy`           | (check_card) the print still holds the fine-line detail of an original |
///   |                  | (not a scan-and-reprint): score = median tile correlation of the finest|
///   |                  | band (-1..1), threshold = options.copy_threshold                       |
///   | `text`           | (check_card) the personal text printed for people (names, dates,       |
///   |                  | numbers) shows what the card composed from the seal's data prints:     |
///   |                  | each element as a whole (threshold options.text_threshold), then each  |
///   |                  | of its glyphs in its own cell (options.text_glyph_threshold: one digit |
///   |                  | of a date printed over); score = the correlation (-1..1) furthest      |
///   |                  | under its threshold, threshold = that one's                            |
///   | `captures`       | (check_captures) the captures show one card, and which check came from |
///   |                  | which capture                                                          |
///
/// `pattern`, `copy` and `text` run only where the checker holds the pattern seed of the seal's
/// issuer (CheckerOptions::pattern_seeds) and the seal's signature verified; each compares the
/// side(s) rectified to the trim box at options.forensic_dpi with the card composed again from the
/// seal's data (`text`: on the sides whose personal guilloché was measured, or whose fixed text, the
/// template's labels, lies within 0.35 mm of its place; an element showing the office, which the
/// seal carries as its code, is not compared). Without a seed they are
/// `not_checked` ("no pattern seed for issuer XXA"): neutral, as the seed is a secret not every
/// checker holds. When the estimated capture resolution is under options.min_copy_capture_dpi,
/// `copy` warns `low_resolution` (the reason names the dpi and says to retake closer or scan at
/// 600 dpi): at that resolution an original's finest lines are not
/// resolved either, so the measurement cannot tell, and a card whose copy was not judged is
/// `suspicious`, never `genuine` (options.allow_unjudged_copy makes it `not_checked` instead); on
/// such a capture a `pattern` score less than 0.08 under its threshold warns `low_resolution` too
/// (a retake) rather than failing. The same holds, with the code `blurred`, for a capture whose card
/// edge is spread over more than options.max_copy_edge_mm (CaptureQuality::edge_mm: the camera
/// moved or was out of focus), whatever its resolution (on either, a copy score under
/// options.copy_floor still fails: fine lines gone further than such a capture takes an
/// original's, a copy's or a replay's on a screen), and with the code `glare` for `pattern` or
/// `copy` when a reflection washes out enough of their tiles to decide the outcome, and for `text`
/// when it washes out any personal text element (an unread element may be an altered one; the
/// reason says to tilt the card away from the light); `text` warns `side_missing` when a side
/// that prints personal text was not given or not located (its text was not compared). With the
/// code `shadow`, `copy` warns when a shadow (a phone's or a hand's) over enough of its tiles could
/// change the outcome (the reason says to light the card evenly). A design with no fine lines to
/// measure (no guilloché, no microtext) leaves `copy` `not_checked`, as no capture could do better.
/// A `pattern` or `copy` failure makes the card `invalid` (rule 1); a `copy` score only a little
/// under its threshold (options.copy_borderline) warns `borderline` instead, and the card is
/// `suspicious`.
///
/// A check that could not run because an earlier one failed is `not_checked`. New checks (image
/// rectification, MRZ, guilloché pattern, copy detection) are added as further findings with new
/// `check` names: the shape of `Report` does not change, and readers must ignore checks they do not
/// know.
///
/// **Verdict rules**, applied in this order to all findings of the report:
///   1. `invalid`    : some finding other than `qr` and `seal_format` fails (a bad or unknown
///                     signature, a certificate not valid at the check time, a revoked key or
///                     document, a payload that is not an sdc card, an expired card, a portrait that
///                     does not match, or a seal that binds no photo when a portrait was given).
///   2. `unreadable` : no seal could be read: no QR code, none with the prefix, or every seal text
///                     fails `seal_format`.
///   3. `suspicious` : nothing says the card is false, but something is off: a finding warns (a card
///                     image whose seal binds no photo, checked without a portrait), or a `qr` /
///                     `seal_format` finding fails beside a seal that was read.
///   For check_card: a `locate` failure alone is not fatal when a seal is read (the seal is then
///   read from the raw image), but the photo cannot be checked then, and its `photo` finding warns
///   (`not_checked` would be neutral, and an unchecked portrait must not make a card genuine).
///   A check_card portrait over the threshold fails (`mismatch`) when a face shows in the
///   template's photo box, and warns (`no_face`: located or turned wrongly, or covered; a retake)
///   when none does, or `glare` when a tenth of the face is clipped white (a highlight). A
///   `photo`, `pattern` or `copy` failure on a side that was not located but taken as the whole
///   image with a margin wider than a print bleed warns `uncertain_location`.
///   4. `genuine`    : every finding passes or is `not_checked`. `not_checked` is neutral: a check
///                     that was not asked for (no portrait given, `PayloadFormat::opaque`) or that
///                     has nothing to check (no expiry date) does not lower the verdict.
///
/// **Errors and exceptions.** A forged, expired or unreadable card is a `Report`, never an
/// `Error`. `Checker` methods return an `Error` only when they could not check at all: bad
/// arguments (Errc::invalid_argument, Errc::bad_image for a portrait under 16 x 16 pixels),
/// memory exhaustion (Errc::limit_exceeded) or a bug (Errc::internal). No exception escapes.
///
/// **Threads.** A `Checker` is immutable; its methods may be called from many threads at once.
/// There is no global state. `Report` is a value.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/mrz.hpp>
#include <sdc/qr.hpp>
#include <sdc/resources.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>
#include <sdc/units.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

/// The overall answer about a card or seal; rules in the file comment.
enum class Verdict {
  genuine,     ///< every check passed (or was not asked for)
  suspicious,  ///< nothing failed, but a check warned or an extra code could not be read
  invalid,     ///< a check failed: the card is forged, altered, revoked, expired or not an sdc card
  unreadable,  ///< no seal could be read
};
/// "genuine", "suspicious", "invalid" or "unreadable".
SDC_EXPORT const char* to_string(Verdict verdict) noexcept;

/// The outcome of one check.
enum class Outcome {
  pass,         ///< the check ran and succeeded
  fail,         ///< the check ran and failed
  warn,         ///< the check ran; the result is doubtful
  not_checked,  ///< the check did not run (not asked for, nothing to check, or an earlier failure)
};
/// "pass", "fail", "warn" or "not_checked".
SDC_EXPORT const char* to_string(Outcome outcome) noexcept;

/// One check's result.
struct Finding {
  std::string check;  ///< "qr", "seal_format", "seal_signature", ... (file comment)
  Outcome outcome = Outcome::not_checked;
  /// Stable cause for programs: "ok", a SealReason name ("bad_signature", "expired", ...),
  /// "not_sdc_card", "not_bound", "mismatch", "no_face", "no_portrait", "no_code", "no_seal", ...
  std::string code;
  std::string reason;               ///< one line for people (UTF-8; may quote input)
  std::optional<double> score;      ///< photo: Hamming distance of the hashes (0..64)
  std::optional<double> threshold;  ///< photo: the largest distance accepted
  int seal = -1;                    ///< index into Report::seals, or -1 for the whole card
  /// A `text` or `mrz` warning: the parts of the print it did not read and match, the others
  /// having read as sealed (Checker::check_captures reads them on another capture). `text`: the
  /// personal text elements (template element names) that no side read and matched: washed out by
  /// glare, wholly or in one of their glyphs, or on a side not given, not located or not placed.
  /// `mrz`: the lines ("line 1", ...) glare left unread, or every line.
  std::vector<std::string> unread;
};

/// A CBOR data item decoded without a schema (for payloads that are not sdc cards: a DCC, a
/// CWT, anything signed). Arrays hold their elements in `items`; maps hold key, value, key,
/// value, ... in `items`; a tag holds its content as `items[0]`.
struct CborValue {
  enum class Kind {
    integer,      ///< `integer`
    big_integer,  ///< outside int64: `text` holds it in decimal
    bytes,        ///< `bytes`
    text,         ///< `text` (as carried; may not be valid UTF-8)
    array,        ///< `items`
    map,          ///< `items`: key, value pairs
    tag,          ///< `tag`, content in `items[0]`
    boolean,      ///< `boolean`
    null,
    undefined,
    simple,   ///< another simple value: `integer`
    floating  ///< `number`
  };
  Kind kind = Kind::null;
  std::int64_t integer = 0;
  std::uint64_t tag = 0;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<std::uint8_t> bytes;
  std::vector<CborValue> items;
};

/// Decodes one CBOR data item spanning all of `cbor` (nesting up to 16 levels, container sizes
/// checked against the bytes present). Errors: Errc::bad_seal with the byte offset. Thread-safe.
/// Limitation: libcbor 0.8 refuses the one-byte tag heads 0xC6..0xD4 inside the item.
SDC_EXPORT Result<CborValue> decode_cbor(std::span<const std::uint8_t> cbor);

/// What the checker learnt about one seal.
struct SealResult {
  /// The seal layer's answer: reason, message, kid, algorithm, signer, the sdc payload fields or
  /// the CWT times, the payload bytes. Filled as far as verification got.
  SealVerification verification;
  /// The signed payload decoded as generic CBOR when it is not read as an sdc card (a foreign
  /// COSE payload, PayloadFormat::cwt or ::opaque) and is CBOR; empty otherwise.
  std::optional<CborValue> decoded_payload;
  /// Photo check (images with a portrait, sdc payloads binding a photo): the hash distance.
  std::optional<int> photo_distance;
};

/// A point in image pixels: x to the right, y down, (0, 0) the top-left corner of the top-left
/// pixel (so a pixel's centre is at +0.5).
struct ImagePoint {
  double x = 0, y = 0;
};

/// Where a card is in an image (stage 1 of check_card, or locate_card alone).
struct CardLocation {
  /// True when a card was found; the other members are meaningful only then.
  bool found = false;
  /// How it was found: "outline" (its edges, fitted as four lines: rounded corners and a finger
  /// over an edge do not move the corners), "whole_image" (the image is the card, such as an
  /// exported PNG, with or without bleed), "qr" (the QR code's position and the template's QR box,
  /// where the outline was lost), "labels" (located by one of those first, it was placed again by
  /// the template's printed labels, which lay millimetres off: Checker::check_card,
  /// docs/verify.md; its `locate` finding says how far it was first located and which checks did
  /// not hold there); "" when not found.
  std::string method;
  /// The corners of the card's trim box in image pixels, in the card's reading order: top-left,
  /// top-right, bottom-right, bottom-left (the top edge is a long edge). Before the 180° turn is
  /// resolved (`upright_known`), top and bottom may be swapped.
  std::array<ImagePoint, 4> corners{};
  /// True when the 180° ambiguity was resolved (by the QR code's position or orientation on the
  /// card, or by the printed portrait); false: the card may be upside down in `corners`.
  bool upright_known = false;
  /// Card-shaped outlines seen in the image (2 or more: several cards in one frame; the largest
  /// is used).
  int outlines = 0;
  /// Side lengths in image pixels: top, right, bottom, left.
  std::array<double, 4> side_px{};
  /// The angle of the top edge in degrees, counter-clockwise from the image's x axis, -180..180.
  double rotation_deg = 0;
};

/// How good the capture of one side is (from the card as rectified).
struct CaptureQuality {
  /// Estimated capture resolution at the card, in dots per inch: the coarser of its two directions
  /// (the card's mean width in pixels / 85.60 mm, its mean height / 53.98 mm for ID-1; a card
  /// tilted before the camera is foreshortened along one of them); 0 when the card was not found.
  double dpi = 0;
  /// Sharpness: variance of the Laplacian of the rectified card's grey levels (0..255) at the
  /// working dpi. Higher is sharper; under about 100 a card at 300 dpi is visibly blurred.
  double sharpness = 0;
  /// Fraction of the card's pixels clipped to white (every channel >= 250), 0..1: glare on a photo
  /// or scan. On a render, unprinted white also counts.
  double glare = 0;
  /// Fraction of the card's pixels at or under 5 in every channel (crushed shadows), 0..1.
  double dark = 0;
  /// How far the card's own edge is spread in the capture, in millimetres at the card: the step
  /// from the card to what it lies on, divided by its steepest slope (a blur of σ gives 2.5 σ, a
  /// hand that moved by d during the exposure adds up to d), on the second most spread of the four
  /// sides, so that one side's shadow or hand does not decide. It is the capture's optics, focus,
  /// motion and sharpening, whatever the print: on the simulator a 1200 dpi scan about 0.03 mm, a
  /// 600 dpi scan 0.05 to 0.06, a still 400 dpi phone photo 0.14 to 0.17. 0 when not measured:
  /// the card was not located by its outline (the image is the card), or fewer than two sides
  /// showed a clear step.
  double edge_mm = 0;
};

/// Stage 1's result for one image of check_card.
struct SideCheck {
  std::string name;           ///< the name given for the image (file name), or "front" / "back"
  std::string side;           ///< the template side it was matched to: "front", "back" or "" (unknown)
  int width = 0, height = 0;  ///< the image size in pixels
  CardLocation location;
  CaptureQuality capture;
  int codes_found = 0;  ///< QR codes read on this image (rectified card, else raw image)
};

/// Time spent in one stage of a check.
struct StageTime {
  std::string stage;  ///< "locate", "rectify", "seal", "photo", "forensics", "mrz", "total"; and
                      ///< "first_check" when a side was placed again by its labels and the card
                      ///< checked again, or check_captures checked a capture again under another's
                      ///< seals (its time is in "total")
  double ms = 0;      ///< wall-clock milliseconds (summed over the images)
};

/// The answer about one seal text or card image.
struct Report {
  Verdict verdict = Verdict::unreadable;
  /// One line for people: the verdict and its main cause ("genuine: signed by CN=...").
  std::string summary;
  std::int64_t checked_at = 0;  ///< the check time (Unix seconds, UTC)
  std::vector<Finding> findings;
  std::vector<SealResult> seals;  ///< one per seal read (check_seal: exactly one)
  /// Image checks: the name given for the image (not interpreted), and the number of QR codes
  /// found. check_seal leaves `image` empty and `codes_found` at -1.
  std::string image;
  int codes_found = -1;
  /// check_card: one entry per image given (corners, capture quality); empty otherwise.
  std::vector<SideCheck> sides;
  /// check_card: the time per stage; empty otherwise.
  std::vector<StageTime> timings;
  /// check_card: the template used for the card's layout: its name and content id ("" if none).
  std::string template_name, template_id;

  /// True when the verdict is genuine.
  bool valid() const noexcept { return verdict == Verdict::genuine; }
  /// The first finding of `check` for `seal` (-1: card level), or null.
  SDC_EXPORT const Finding* find(std::string_view check, int seal = 0) const noexcept;
};

/// The report as JSON (UTF-8, 2-space indented, ending without a newline). Always valid JSON:
/// invalid UTF-8 in any string is replaced by U+FFFD, and strings from the input are cut to 1024
/// bytes. Keys (docs/verify.md): "verdict", "summary", "findings", "checked_at"; for a seal text
/// also the seal keys at the top level ("valid", "reason", "message", "kid", "alg", "compressed",
/// "signer", "payload" or "payload_hex", "decoded_payload", "issued_at", "expires_at"); for an
/// image "image", "codes_found", "seals" (those keys per seal, plus "photo_distance" and
/// "photo_matches"), "valid" and, when no seal was found, "message".
SDC_EXPORT std::string to_json(const Report& report);

/// Parses a check time: Unix seconds ("1793577600", 0 .. 253402300799), a date "YYYY-MM-DD"
/// (00:00:00 UTC) or "YYYY-MM-DDTHH:MM:SSZ". Dates are strict (a real calendar day, years
/// 1900..2199, see parse_date; seconds 00..59). Errors: Errc::invalid_argument saying the accepted
/// forms (for "2027-02-30", for numbers too large, for anything else).
SDC_EXPORT Result<std::int64_t> parse_time(std::string_view text);

/// Options of a Checker.
struct CheckerOptions {
  std::string prefix = "SDC1:";  ///< seal prefix ("HC1:" for EU DCC); QR codes without it are skipped
  PayloadFormat payload_format = PayloadFormat::sdc_card;
  bool require_compression = false;  ///< see VerifyOptions
  /// The check time (Unix seconds, UTC); empty: the system clock at each check (recorded in
  /// Report::checked_at).
  std::optional<std::int64_t> check_time;
  /// The largest photo-hash distance accepted, 0..64 (default photo_hash_threshold).
  int photo_threshold = photo_hash_threshold;
  QrDecodeOptions qr;  ///< how hard to look for QR codes in images
  /// check_card: the card's template (`--template`); when set it is used whatever the seal says.
  Template card_template;
  /// check_card: templates to choose from by the seal's template_id (`--templates DIR`).
  std::vector<Template> templates;
  /// check_card: the resolution the card is rectified to, 100..1200 dpi.
  Dpi working_dpi{300};
  /// check_card: images with more pixels than this are not examined (an `image` finding).
  std::int64_t max_image_pixels = 120'000'000;
  /// check_card: the issuers' secret pattern seeds by issuer code (the seal's `issuer`, e.g. "XXA";
  /// the bytes of the issuer profile's pattern seed file, see load_issuer_seed() in compose.hpp).
  /// With a seed for the seal's issuer the `pattern` and `copy` checks run; without, they are
  /// `not_checked`. The seeds are secrets: a Checker holding them must be kept like the issuer's
  /// pattern seed file.
  std::map<std::string, std::vector<std::uint8_t>> pattern_seeds;
  /// check_card: the fonts (and face model) used to compose the expected card from the seal's data
  /// for `pattern` and `copy`. Read by Checker::create only when pattern_seeds is not empty.
  Resources resources = Resources::installed();
  /// check_card: the resolution each side is rectified to for `pattern` and `copy`, 400..1200 dpi.
  Dpi forensic_dpi{600};
  /// check_card: `pattern` passes when its score is at least this (-1..1; default calibrated on the
  /// print-scan simulator, bench/RESULTS.md).
  double pattern_threshold = 0.5;
  /// check_card: `copy` passes when its score is at least this (-1..1; calibrated as above).
  double copy_threshold = 0.60;
  /// check_card: `text` passes when its score is at least this (-1..1; calibrated as above).
  double text_threshold = 0.6;
  /// check_card: each glyph of a `text` element passes when its own cell correlates at least this
  /// (-1..1; calibrated as above: genuine glyphs 0.83 and more through the harsh channel, a date's
  /// digit printed over 0.67 and less). A glyph is judged only where it stands 0.1 or more under
  /// its element's correlation: glare or blur dims a whole element alike.
  double text_glyph_threshold = 0.75;
  /// check_card: `copy` is not judged on captures estimated under this resolution (0: always).
  /// Calibrated on the print-scan simulator (bench/RESULTS.md): from 380 dpi up genuine prints and
  /// copies separate at copy_threshold; under it a copy's fine lines score higher as the capture
  /// coarsens (a sharpened copy at 330 dpi as high as a denoised original at 390 dpi), and a lower
  /// floor would need a threshold that rises as the capture coarsens.
  Dpi min_copy_capture_dpi{380};
  /// check_card, with the issuer's seed: what an unjudged copy (a capture under
  /// `min_copy_capture_dpi`) does to the verdict. false (default): `copy` warns `low_resolution`,
  /// so the card is `suspicious` and the officer retakes it closer or scans it; a coarse phone
  /// photo of a photocopy must not come out `genuine`. true: `copy` is `not_checked`, neutral (for a
  /// deployment that accepts the risk of copies, or checks them another way).
  bool allow_unjudged_copy = false;
  // Added later, so last: a positional initialiser written before them keeps its meaning.
  /// check_card: `copy` is not judged on a side whose capture is blurred, the card's own edge
  /// spread over more than this many millimetres (CaptureQuality::edge_mm; 0: always judged). A
  /// still phone photo at 400 dpi spreads it over 0.14 to 0.17 mm, and a hand that moved by 2 px
  /// (0.13 mm) during the exposure already takes some genuine cards' fine lines down to a copy's
  /// score (calibrated on the print-scan simulator, bench/RESULTS.md). The unjudged copy is a
  /// retake (`copy` warns `blurred`), as under `min_copy_capture_dpi`. A side whose edge could not
  /// be measured is judged.
  double max_copy_edge_mm = 0.17;
  /// check_card: on a capture sharper than `copy_sharp_edge_px` (CaptureQuality::edge_mm in the
  /// pixels of the copy check's band-pass: the capture's, at most `forensic_dpi`'s), the `copy`
  /// threshold rises by `copy_threshold_per_px` for each pixel sharper, down to 1 px
  /// (`copy_threshold_per_px` 0: a fixed threshold); it never falls under `copy_threshold`. A
  /// sharp capture (a flatbed's, a phone's sharpening) shows an original's fine lines best, while a
  /// phone's noise reduction keeps the edge sharp and dims the lines. Fitted with `copy_threshold`
  /// on the simulator's captures, sharpened, denoised and moved, phone photos and scans of 300 to
  /// 1200 dpi (bench/RESULTS.md, thirty-first session: no genuine capture under and no copy over,
  /// margins 0.021 and 0.039, a careful forger's copy 0.010 under).
  double copy_sharp_edge_px = 2.0;
  double copy_threshold_per_px = 0.17;
  /// check_card: a `copy` score under its threshold by less than this (0..0.2; 0: none) warns
  /// `borderline` (the card is `suspicious`, and the reason says to scan it on a flatbed at 600 dpi
  /// to decide) instead of failing (`invalid`). The copy check is calibrated on the print-scan
  /// simulator, and a real phone's processing moves an original's score by a few hundredths: a
  /// card that far under the threshold is not declared forged on one photo. On the simulator every
  /// copy scored at least 0.045 under its threshold (bench/RESULTS.md).
  double copy_borderline = 0.03;
  /// check_card: on a capture too coarse or too blurred to judge a copy (`copy` warns
  /// `low_resolution` or `blurred`, a retake), the copy is measured all the same where the side's
  /// personal guilloché matched, the card's edge is spread over at most 0.25 mm and the capture is
  /// 250 dpi or finer, and a score under this (0..1; 0: never) fails (`invalid`): the fine lines
  /// are gone further than such a capture takes an original's. On the simulator an original scored
  /// 0.40 and more there, a replay of the card on a phone's screen 0.14 to 0.18 (bench/RESULTS.md,
  /// thirty-seventh session).
  double copy_floor = 0.30;
};

/// Options of locate_card.
struct LocateOptions {
  CardFormat format = CardFormat::id1;  ///< the card's format (its aspect ratio)
  /// The image is searched on a copy scaled so that its longer side is at most this (256..4096);
  /// the corners are then refined on the full image. Bounds the time on huge images.
  int detect_side = 1024;
  /// Bleed or margin widths (mm) accepted when the image is taken as the card itself (an exported
  /// PNG, a scan cropped close): 0 up to this.
  Mm max_bleed{5.0};
};

/// Finds the card (any card of `options.format`, not only sdc's) in an image: edges and contours,
/// quadrilaterals fitted to them, checked for the card's aspect ratio and edge support, corners
/// refined on the full image as the intersections of lines fitted to each edge. An image whose
/// own aspect is the card's with up to max_bleed around it is the card itself (`whole_image`),
/// unless the card's edge is found in that margin (`outline`), or the image is a photo of that
/// aspect (a camera's 3:2) in which a card's outline at most 85 % of the image's width is found, or
/// a photo of a card lying at an angle on a plain desk (a white card on a white desk too: its faint
/// edges are then searched with a third of the edge threshold). The 180° turn is not resolved
/// (`upright_known` false). Not finding a card is `found == false`, not an error.
/// Errors: Errc::bad_image for an empty image, Errc::invalid_argument for options out of range,
/// Errc::limit_exceeded for memory. Thread-safe.
SDC_EXPORT Result<CardLocation> locate_card(const ImageView& image, const LocateOptions& options = {});

/// Warps the card at `corners` (top-left, top-right, bottom-right, bottom-left, image pixels) to
/// its trim box at `dpi` (ID-1 at 300 dpi: 1011 x 638 px), rgb8 (gray8 for a gray8 image). Large
/// downscales are area-averaged first. Errors: Errc::invalid_argument for a dpi outside 50..2400
/// or degenerate corners, Errc::bad_image for an empty image. Thread-safe.
SDC_EXPORT Result<Image> rectify_card(const ImageView& image, const std::array<ImagePoint, 4>& corners,
                                      CardFormat format = CardFormat::id1, Dpi dpi = Dpi{300});

/// Reads the machine-readable zone of a document in a photo or a scan (`sdc mrz --image`). The
/// image is read as it is first (MrzReader::read: a zone at any angle, but no perspective). When
/// that finds no zone, or a zone whose check digits do not all hold, the document is located as an
/// ID-1 card, an ID-3 passport page and an ID-2 document in turn (locate_card, by its outline),
/// rectified at the resolution it was captured at (150 to 600 dpi), which undoes a phone's
/// perspective, and read again. The reading with the most check digits holding, then the fewest
/// corrections, wins (the direct one among equals); its location is in `image`'s pixels. Errors: those of
/// MrzReader::read on the image as it is, when no reading is found at all. Thread-safe.
SDC_EXPORT Result<MrzReading> read_document_mrz(const ImageView& image, const MrzReader& reader);

/// The capture quality of a rectified card (sharpness, glare, dark); `dpi` and `edge_mm` are
/// left 0.
SDC_EXPORT CaptureQuality capture_quality(const ImageView& rectified);

/// `CaptureQuality::edge_mm` of a card located in `image` by its outline (`where.method` is
/// "outline"; 0 for another method or a card not found). `format` gives the card's size in mm.
/// Reads some 4 × 24 short profiles across the sides; no error (0 when nothing is measurable).
/// Thread-safe.
SDC_EXPORT double edge_spread_mm(const ImageView& image, const CardLocation& where,
                                 CardFormat format = CardFormat::id1);

/// One capture of a card for Checker::check_captures: its images as check_card takes them (front
/// and back in either order; `back` may be empty) and their names.
struct CardImages {
  ImageView front, back;
  std::string_view name, back_name;
};

/// Checks seals and card images against a trust store. Immutable and cheap to copy (the state is
/// shared); thread-safe.
class SDC_EXPORT Checker {
 public:
  /// Errors: Errc::invalid_argument for a photo threshold outside 0..64, qr.max_symbols outside
  /// 1..255, a forensic dpi outside 400..1200, thresholds outside -1..1, an empty pattern seed or
  /// issuer code; with pattern seeds, the errors of
  /// Composer::create (Errc::bad_font, Errc::io naming the fonts folder of options.resources).
  static Result<Checker> create(TrustStore trust, CheckerOptions options = {});

  /// Checks one seal text (as read from a QR code; no trailing newline). The report has one seal
  /// and no `qr` or `photo` finding. Errors only as in the file comment.
  Result<Report> check_seal(std::string_view text) const;

  /// Reads the QR codes of a card image (decode_qr_codes), checks each that starts with the
  /// prefix, and, when `portrait` is not empty, compares its photo_hash with each sdc seal's
  /// photo hash. `name` is copied into Report::image (e.g. the file name). Errors: Errc::bad_image
  /// for a portrait under 16 x 16 pixels; otherwise only as in the file comment.
  Result<Report> check_image(const ImageView& card, const ImageView& portrait = {}, std::string_view name = {}) const;

  /// Checks a card from one or two images (front and back, in either order; a scan, a phone photo
  /// or an exported PNG): per image, finds and rectifies the card (locate_card, rectify_card) and
  /// measures the capture quality; reads the QR codes on the rectified card, else on the raw
  /// image, and verifies each seal; picks the template (options.card_template, else the one of
  /// options.templates whose content id starts with the seal's template_id); crops the printed
  /// portrait from the template's `photo` element and compares its hash with the sealed one; where
  /// the checker holds the issuer's pattern seed, composes the expected card from the seal's data
  /// and measures the pattern binding and copy detection on each side rectified at
  /// options.forensic_dpi. The report has `sides`, `timings` and the findings `image`, `locate`,
  /// `qr`, the seal checks, `template`, `photo`, `pattern` and `copy`. `name` names the first image, `back_name` the
  /// second. A hostile or broken image gives findings, not errors. Errors only as in the file comment.
  Result<Report> check_card(const ImageView& front, const ImageView& back = {}, std::string_view name = {},
                            std::string_view back_name = {}) const;

  /// Checks one card from several captures of it: a retake with the card tilted another way, so
  /// that glare or a shadow falls elsewhere, completes what the first could not read. Each capture
  /// is checked as check_card does. The captures that read a seal must show one card (the same
  /// seals), else the first's report stands with `captures` warning `different_cards`. A capture
  /// that reads no seal (glare over the QR code) is checked against the first readable capture's
  /// seals, each of its images taken as the side that capture showed in the same place (a retake
  /// keeps the order of the capture it retakes); when none reads one, the first
  /// capture's report stands. Then for each card check (`photo`, `pattern`, `copy`, `text`, `mrz`): a
  /// `fail` in any capture fails; else a `pass` in any capture passes (that capture judged it
  /// whole: nothing the check needed was washed out or in doubt); else the first capture's
  /// finding stands. The other findings are the first readable capture's; `sides` holds every
  /// capture's images in order, `timings` their sums. The finding `captures` (pass) says how many
  /// were combined and which check came from which capture. One capture gives check_card's report.
  /// Errors: Errc::invalid_argument for no capture or more than max_captures; otherwise as
  /// check_card.
  Result<Report> check_captures(std::span<const CardImages> captures) const;
  /// The most captures check_captures takes.
  static constexpr std::size_t max_captures = 8;

  const CheckerOptions& options() const noexcept;
  const TrustStore& trust() const noexcept;

  struct State;  ///< internal

 private:
  explicit Checker(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  // check_card; where `sealed_by` is given and these images show no seal, their print is checked
  // against `sealed_by`'s seals instead, each image taken as the side `sealed_by` showed in the
  // same place (check_captures: a retake whose QR code glare hid).
  Result<Report> check_card_under(const ImageView& front, const ImageView& back, std::string_view name,
                                  std::string_view back_name, const Report* sealed_by) const;
  std::shared_ptr<const State> state_;
};

}  // namespace sdc
