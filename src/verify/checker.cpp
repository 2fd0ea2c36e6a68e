// The Checker: seal verification and the photo binding turned into findings and a verdict.
#include <sdc/record.hpp>
#include <sdc/verify.hpp>

#include "seal/seal_detail.hpp"
#include "verify/checker_detail.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace sdc {

const char* to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::genuine: return "genuine";
    case Verdict::suspicious: return "suspicious";
    case Verdict::invalid: return "invalid";
    case Verdict::unreadable: return "unreadable";
  }
  return "unknown";
}

const char* to_string(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::warn: return "warn";
    case Outcome::not_checked: return "not_checked";
  }
  return "unknown";
}

const Finding* Report::find(std::string_view check, int seal) const noexcept {
  for (const auto& f : findings)
    if (f.check == check && f.seal == seal) return &f;
  return nullptr;
}

Result<std::int64_t> parse_time(std::string_view s) {
  constexpr std::int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
  const std::string forms = "give Unix seconds (0 to 253402300799), YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC).";
  const std::string quoted = "'" + detail::clip(s, 40) + "'";
  auto digits = [](std::string_view t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(s)) {
    std::int64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc::result_out_of_range || v > kMax)
      return Error(Errc::invalid_argument, "the time " + quoted + " is too large (after the year 9999).", forms);
    return v;
  }
  if (s.size() != 10 && !(s.size() == 20 && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z'))
    return Error(Errc::invalid_argument, "the time " + quoted + " is not in a form sdc reads.", forms);
  const auto date = parse_date(s.substr(0, 10));
  if (!date)
    return Error(Errc::invalid_argument,
                 "the date " + quoted + " is not a calendar date YYYY-MM-DD in the years 1900 to 2199.", forms);
  int hms[3] = {0, 0, 0};
  if (s.size() == 20) {
    static constexpr int kLimit[3] = {23, 59, 59};
    for (int i = 0; i < 3; ++i) {
      const auto part = s.substr(11 + static_cast<std::size_t>(i) * 3, 2);
      if (!digits(part)) return Error(Errc::invalid_argument, "the time " + quoted + " is not HH:MM:SS.", forms);
      std::from_chars(part.data(), part.data() + 2, hms[i]);
      if (hms[i] > kLimit[i])
        return Error(Errc::invalid_argument, "the time of day in " + quoted + " is out of range.", forms);
    }
  }
  return detail::unix_from_civil(date->year, date->month, date->day, hms[0], hms[1], hms[2]);
}

namespace detail {

std::string clip(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  return std::string(s.substr(0, max)) + "...";
}

Error error_from_exception(std::exception_ptr e, std::string_view doing) noexcept {
  try {
    try {
      std::rethrow_exception(std::move(e));
    } catch (const std::bad_alloc&) {
      return Error(Errc::limit_exceeded, "out of memory while " + std::string(doing),
                   "free memory, or check fewer or smaller images at once");
    } catch (const std::exception& ex) {
      return Error(Errc::internal, "internal error while " + std::string(doing) + ": " + ex.what(),
                   "this is a bug in sdc, not a verdict about the card: please report it");
    } catch (...) {
      return Error(Errc::internal, "internal error while " + std::string(doing) + " (unknown exception)",
                   "this is a bug in sdc, not a verdict about the card: please report it");
    }
  } catch (...) {
    // Building the message failed too (memory): short literals need no allocation.
    return Error(Errc::limit_exceeded, "out of memory");
  }
}

std::optional<Error> error_from_verification(const SealVerification& v) {
  if (v.reason == SealReason::out_of_memory)
    return Error(Errc::limit_exceeded, v.message.empty() ? "out of memory while verifying the seal" : v.message,
                 "free memory and check again");
  if (v.reason == SealReason::internal_error)
    return Error(Errc::internal, v.message.empty() ? "internal error while verifying the seal" : v.message,
                 "this is a bug in sdc, not a verdict about the card: please report it");
  return std::nullopt;
}

bool looks_like_sdc_payload(const CborValue& v) noexcept {
  if (v.kind != CborValue::Kind::map) return false;
  for (std::size_t i = 0; i + 1 < v.items.size(); i += 2)
    if (v.items[i].kind == CborValue::Kind::integer && v.items[i].integer == 0) return true;
  return false;
}

namespace {

// The seal checks in report order, and the step of verify_seal at which each reason is found.
enum Stage { format, signature, certificate, payload, revocation, expiry, stage_count };
constexpr const char* kStageName[stage_count] = {"seal_format",  "seal_signature", "certificate",
                                                 "seal_payload", "revocation",     "expiry"};

Stage failing_stage(const SealVerification& v) {
  switch (v.reason) {
    case SealReason::bad_prefix:
    case SealReason::bad_base45:
    case SealReason::bad_compression:
    case SealReason::too_large:
    case SealReason::malformed_cose:
    case SealReason::out_of_memory:
    case SealReason::internal_error: return format;
    case SealReason::unsupported_algorithm:
    case SealReason::unknown_kid:
    case SealReason::bad_signature: return signature;
    case SealReason::certificate_not_valid: return certificate;
    case SealReason::revoked: return revocation;
    case SealReason::malformed_payload: return payload;
    case SealReason::not_yet_valid:
    case SealReason::expired: return expiry;
    case SealReason::valid: break;
  }
  return stage_count;
}

std::string signer_text(const SealVerification& v) {
  std::string s = v.signer ? v.signer->subject : std::string("an unknown signer");
  s += " (kid " + to_hex(v.kid);
  if (v.algorithm) s += std::string(", ") + to_string(*v.algorithm);
  return s + ")";
}

}  // namespace

void add_seal_findings(const SealResult& seal, int index, PayloadFormat fmt, std::vector<Finding>& out) {
  const SealVerification& v = seal.verification;
  const Stage failed = failing_stage(v);
  // A kid revocation is found before the payload is read; a document revocation after it.
  const bool kid_revoked = v.reason == SealReason::revoked && !v.payload;
  Finding f[stage_count];
  for (int s = 0; s < stage_count; ++s) {
    f[s].check = kStageName[s];
    f[s].seal = index;
  }
  auto pass = [&](Stage s, std::string reason) {
    f[s].outcome = Outcome::pass;
    f[s].code = "ok";
    f[s].reason = std::move(reason);
  };
  auto skip = [&](Stage s, std::string code, std::string reason) {
    f[s].outcome = Outcome::not_checked;
    f[s].code = std::move(code);
    f[s].reason = std::move(reason);
  };

  // Everything at or after the failing step starts as not checked; the failing one is set below.
  for (int s = 0; s < stage_count; ++s)
    if (s >= failed) skip(static_cast<Stage>(s), "not_checked", "not checked: an earlier check failed");
  if (failed > format) pass(format, std::string("a COSE_Sign1 message") + (v.compressed ? ", zlib-compressed" : ""));
  if (failed > signature) pass(signature, "the signature verifies: signed by " + signer_text(v));
  if (failed > certificate)
    pass(certificate, v.signer && v.signer->has_validity
                          ? "the signer certificate is valid from " + detail::utc_text(v.signer->not_before) + " to " +
                                detail::utc_text(v.signer->not_after)
                          : "a trusted public key without a validity period");
  const bool sdc = fmt == PayloadFormat::sdc_card;
  if (failed > payload) {
    if (sdc)
      pass(payload, "an sdc card payload, version " + std::to_string(v.payload ? v.payload->version : 1));
    else if (fmt == PayloadFormat::cwt)
      pass(payload, "CWT claims (RFC 8392)");
    else
      skip(payload, "not_requested", "the payload is not read (payload format opaque)");
  }
  if (failed > revocation || failed == payload) {
    pass(revocation, sdc && v.payload ? "neither the signer key nor document " +
                                            detail::clip(v.payload->document_number, 64) + " is revoked"
                                      : "the signer key is not revoked");
  }
  if (failed > expiry) {
    if (sdc && v.payload && !v.payload->expiry_date.empty())
      pass(expiry, "valid through " + v.payload->expiry_date);
    else if (sdc)
      skip(expiry, "no_expiry", "the card has no expiry date");
    else if (fmt == PayloadFormat::cwt && v.expires_at)
      pass(expiry, "the claims expire at " + detail::utc_text(*v.expires_at));
    else if (fmt == PayloadFormat::cwt)
      skip(expiry, "no_expiry", "the claims have no expiry (exp)");
    else
      skip(expiry, "not_requested", "the payload is not read (payload format opaque)");
  }
  if (failed < stage_count) {
    Stage at = failed == revocation && kid_revoked ? revocation : failed;
    f[at].outcome = Outcome::fail;
    f[at].code = to_string(v.reason);
    f[at].reason = v.message;
    if (at == payload && sdc && seal.decoded_payload && !looks_like_sdc_payload(*seal.decoded_payload)) {
      f[at].code = "not_sdc_card";
      f[at].reason = "the signature is valid, but the payload is not an sdc card (shown as decoded CBOR)";
    } else if (at == payload && sdc && !seal.decoded_payload) {
      f[at].code = "not_sdc_card";
      f[at].reason = "the signature is valid, but the payload is not CBOR, so not an sdc card";
    }
    if (at == revocation && kid_revoked) skip(payload, "not_checked", "not checked: the signer key is revoked");
  }
  for (auto& x : f) out.push_back(std::move(x));
}

Finding photo_finding(SealResult& seal, int index, std::span<const std::uint8_t> portrait_hash, int threshold) {
  Finding f;
  f.check = "photo";
  f.seal = index;
  f.threshold = threshold;
  const auto& p = seal.verification.payload;
  if (!p) {
    f.outcome = Outcome::not_checked;
    f.code = "no_payload";
    f.reason = "not checked: the seal's card data could not be read";
  } else if (p->photo_hash.empty()) {
    // A seal that binds no photo cannot vouch for the portrait printed beside it.
    // Without a portrait to compare it is a warning; with one, a failure.
    f.outcome = portrait_hash.empty() ? Outcome::warn : Outcome::fail;
    f.code = "not_bound";
    f.reason = "the seal binds no photo: the printed portrait cannot be checked against it";
  } else if (portrait_hash.empty()) {
    f.outcome = Outcome::not_checked;
    f.code = "no_portrait";
    f.reason = "no printed portrait was given";
  } else {
    const int d = photo_hash_distance(portrait_hash, p->photo_hash);
    seal.photo_distance = d;
    if (d >= 0) f.score = d;
    const bool match = d >= 0 && d <= threshold;
    f.outcome = match ? Outcome::pass : Outcome::fail;
    f.code = match ? "ok" : "mismatch";
    f.reason = d < 0 ? "the sealed photo hash has " + std::to_string(p->photo_hash.size()) +
                           " bytes, not the 8 of sdc's photo hash"
                     : "the printed portrait is " + std::to_string(d) + " bits from the sealed photo hash (" +
                           (match ? "at most " : "over ") + std::to_string(threshold) + ")";
  }
  return f;
}

bool is_reading_check(std::string_view check) noexcept {
  return check == "qr" || check == "seal_format" || check == "image" || check == "locate";
}

Verdict verdict_of(const std::vector<Finding>& findings) noexcept {
  auto reading = [](const Finding& f) { return is_reading_check(f.check); };
  bool fail_other = false, any_read = false, doubt = false;
  for (const auto& f : findings) {
    fail_other |= f.outcome == Outcome::fail && !reading(f);
    any_read |= f.check == "seal_format" && f.outcome == Outcome::pass;
    doubt |= f.outcome == Outcome::warn || f.outcome == Outcome::fail;
  }
  if (fail_other) return Verdict::invalid;
  if (!any_read) return Verdict::unreadable;
  return doubt ? Verdict::suspicious : Verdict::genuine;
}

void conclude(Report& r) {
  r.verdict = verdict_of(r.findings);
  const Finding* cause = nullptr;
  for (const auto& f : r.findings) {
    const bool reading = is_reading_check(f.check);
    if ((r.verdict == Verdict::invalid && f.outcome == Outcome::fail && !reading) ||
        (r.verdict == Verdict::unreadable && f.outcome == Outcome::fail) ||
        (r.verdict == Verdict::suspicious && (f.outcome == Outcome::warn || f.outcome == Outcome::fail))) {
      cause = &f;
      break;
    }
  }
  std::string why;
  if (cause) {
    why = cause->reason;
  } else if (r.verdict == Verdict::genuine) {
    for (const auto& s : r.seals)
      if (s.verification.valid()) {
        why = "signed by " + signer_text(s.verification);
        break;
      }
  } else {
    why = "no seal found";
  }
  r.summary = std::string(to_string(r.verdict)) + (why.empty() ? "" : ": " + why);
}

}  // namespace detail

Result<Checker> Checker::create(TrustStore trust, CheckerOptions options) {
  if (options.photo_threshold < 0 || options.photo_threshold > 64)
    return Error(
        Errc::invalid_argument, "photo threshold " + std::to_string(options.photo_threshold) + " is outside 0..64",
        "give a Hamming distance between 0 and 64 bits (default " + std::to_string(photo_hash_threshold) + ")");
  if (options.qr.max_symbols < 1 || options.qr.max_symbols > 255)
    return Error(Errc::invalid_argument,
                 "qr.max_symbols " + std::to_string(options.qr.max_symbols) + " is outside 1..255",
                 "look for 1 to 255 codes per image");
  if (options.working_dpi.v < 100 || options.working_dpi.v > 1200)
    return Error(Errc::invalid_argument,
                 "working dpi " + std::to_string(options.working_dpi.v) + " is outside 100..1200",
                 "rectify cards at 300 dpi (the default) or up to 1200");
  if (options.max_image_pixels < 1)
    return Error(Errc::invalid_argument, "max_image_pixels must be positive", "keep the default (120 million)");
  if (options.forensic_dpi.v < 400 || options.forensic_dpi.v > 1200)
    return Error(Errc::invalid_argument,
                 "forensic dpi " + std::to_string(options.forensic_dpi.v) + " is outside 400..1200",
                 "measure the pattern and copy checks at 600 dpi (the default)");
  for (const double t :
       {options.pattern_threshold, options.copy_threshold, options.text_threshold, options.text_glyph_threshold})
    if (!(t >= -1 && t <= 1))
      return Error(Errc::invalid_argument, "a pattern, copy, text or text glyph threshold is outside -1..1",
                   "keep the defaults (calibrated in bench/RESULTS.md) or give a correlation between -1 and 1");
  if (!(options.copy_sharp_edge_px >= 0 && options.copy_sharp_edge_px <= 20 && options.copy_threshold_per_px >= 0 &&
        options.copy_threshold_per_px <= 1))
    return Error(Errc::invalid_argument, "copy_sharp_edge_px or copy_threshold_per_px is out of range (0..20, 0..1)",
                 "keep the defaults (calibrated in bench/RESULTS.md), or 0 for a fixed copy threshold");
  if (options.min_copy_capture_dpi.v < 0 || options.min_copy_capture_dpi.v > 2400)
    return Error(Errc::invalid_argument,
                 "min_copy_capture_dpi " + std::to_string(options.min_copy_capture_dpi.v) + " is outside 0..2400",
                 "keep the default (380, calibrated in bench/RESULTS.md), or 0 to judge copies at any resolution");
  if (!(options.copy_borderline >= 0 && options.copy_borderline <= 0.2))
    return Error(Errc::invalid_argument, "copy_borderline is outside 0..0.2",
                 "keep the default, or 0 to fail every copy score under its threshold");
  if (!(options.max_copy_edge_mm >= 0 && options.max_copy_edge_mm <= 5))
    return Error(Errc::invalid_argument, "max_copy_edge_mm is outside 0..5 mm",
                 "keep the default (calibrated in bench/RESULTS.md), or 0 to judge copies however blurred");
  if (!(options.copy_floor >= 0 && options.copy_floor <= 1))
    return Error(Errc::invalid_argument, "copy_floor is outside 0..1",
                 "keep the default (calibrated in bench/RESULTS.md), or 0 to leave every unjudged copy a retake");
  for (const auto& [code, seed] : options.pattern_seeds)
    if (code.empty() || seed.empty())
      return Error(Errc::invalid_argument,
                   code.empty() ? "a pattern seed is given for an empty issuer code"
                                : "the pattern seed for issuer " + detail::clip(code, 40) + " is empty",
                   "load each issuer's seed with load_issuer_seed()");
  try {
    State st{std::move(trust), std::move(options)};
    if (auto reader = MrzReader::create({.ocrb_font = st.options.resources.font("OCRB.otf")}))
      st.mrz_reader = std::move(*reader);
    else
      st.mrz_reader_error = reader.error().message();
    FaceDetectorOptions fo;
    if (!st.options.resources.face_cascade.empty()) fo.cascade_path = st.options.resources.face_cascade.string();
    st.faces = std::make_shared<const detail::LazyFaceDetector>(std::move(fo));
    if (!st.options.pattern_seeds.empty()) {
      SDC_TRY_ASSIGN(auto tools, detail::expected_card_tools(st.options.resources));
      st.expected = std::move(tools);
    }
    return Checker(std::make_shared<const State>(std::move(st)));
  } catch (...) {
    return detail::error_from_exception(std::current_exception(), "creating the checker");
  }
}

const CheckerOptions& Checker::options() const noexcept {
  return state_->options;
}
const TrustStore& Checker::trust() const noexcept {
  return state_->trust;
}

namespace detail {

Result<ExpectedCardTools> expected_card_tools(const Resources& resources) {
  ExpectedCardTools t;
  // Composing the expected card needs the fonts, a portrait and a signer; none of them shows in
  // what the forensics measure (guilloché strokes, text, the template's labels).
  SDC_TRY_ASSIGN(auto composer, Composer::create(resources));
  t.composer = std::move(composer);
  SDC_TRY_ASSIGN(const auto key,
                 generate_key({.alg = SignatureAlg::ed25519, .subject_cn = "sdc checker (expected card)"}));
  auto bytes = [](const std::string& s) {
    return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  SDC_TRY_ASSIGN(t.signer, make_signer(bytes(key.key_pem), bytes(key.cert_pem)));
  // A soft ramp, not a flat tone: compose refuses a photo of one tone as showing nobody.
  t.stand_in_photo = Image(96, 128, PixelFormat::rgb8);
  for (int y = 0; y < t.stand_in_photo.height(); ++y) {
    std::uint8_t* row = t.stand_in_photo.row(y);
    for (int i = 0; i < 96 * 3; ++i) row[i] = static_cast<std::uint8_t>(120 + (i / 3 + y) / 3);
  }
  return t;
}

std::int64_t check_time(const CheckerOptions& o) {
  if (o.check_time) return *o.check_time;
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Verifies one seal text into report.seals / report.findings. Errors only for an unfinished check.
Status check_one(const Checker& c, std::string_view text, Report& r) {
  const CheckerOptions& o = c.options();
  VerifyOptions vo;
  vo.prefix = o.prefix;
  vo.payload_format = o.payload_format;
  vo.require_compression = o.require_compression;
  SealResult s;
  s.verification = verify_seal(text, c.trust(), r.checked_at, vo);
  if (auto e = detail::error_from_verification(s.verification)) return *e;
  const auto& v = s.verification;
  if (!v.payload && !v.payload_bytes.empty()) {
    auto decoded = decode_cbor(v.payload_bytes);
    if (decoded) s.decoded_payload = std::move(*decoded);
  }
  const int index = static_cast<int>(r.seals.size());
  detail::add_seal_findings(s, index, o.payload_format, r.findings);
  r.seals.push_back(std::move(s));
  return {};
}

}  // namespace detail

Result<Report> Checker::check_seal(std::string_view text) const {
  try {
    Report r;
    r.checked_at = detail::check_time(state_->options);
    SDC_TRY(detail::check_one(*this, text, r));
    detail::conclude(r);
    return r;
  } catch (...) {
    return detail::error_from_exception(std::current_exception(), "checking the seal");
  }
}

Result<Report> Checker::check_image(const ImageView& card, const ImageView& portrait, std::string_view name) const {
  try {
    const CheckerOptions& o = state_->options;
    Report r;
    r.checked_at = detail::check_time(o);
    r.image = std::string(name);
    std::vector<std::uint8_t> portrait_hash;
    if (!portrait.empty()) {
      SDC_TRY_ASSIGN(auto h, photo_hash(portrait));
      portrait_hash = std::move(h);
    }
    const auto codes = decode_qr_codes(card, o.qr);
    r.codes_found = static_cast<int>(codes.size());
    std::size_t with_prefix = 0;
    for (const auto& code : codes) with_prefix += code.text.rfind(o.prefix, 0) == 0;
    Finding qr;
    qr.check = "qr";
    if (codes.empty()) {
      qr.outcome = Outcome::fail;
      qr.code = "no_code";
      qr.reason = "no QR code found in the image";
    } else if (with_prefix == 0) {
      qr.outcome = Outcome::fail;
      qr.code = "no_seal";
      qr.reason = std::to_string(codes.size()) + " QR code(s) found, but none starts with " + o.prefix;
    } else {
      qr.outcome = Outcome::pass;
      qr.code = "ok";
      qr.reason = std::to_string(codes.size()) + " QR code(s) found, " + std::to_string(with_prefix) +
                  " starting with " + o.prefix;
    }
    r.findings.push_back(std::move(qr));
    for (const auto& code : codes) {
      if (code.text.rfind(o.prefix, 0) != 0) continue;  // another code on the card, not a seal
      SDC_TRY(detail::check_one(*this, code.text, r));
      const int index = static_cast<int>(r.seals.size()) - 1;
      if (o.payload_format == PayloadFormat::sdc_card)
        r.findings.push_back(detail::photo_finding(r.seals.back(), index, portrait_hash, o.photo_threshold));
    }
    detail::conclude(r);
    return r;
  } catch (...) {
    return detail::error_from_exception(std::current_exception(), "checking the card image");
  }
}

}  // namespace sdc
