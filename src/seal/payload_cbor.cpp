// The seal payload (docs/seal.md, "Payload") as a CBOR map with small integer keys.
#include "core/digest.hpp"
#include "core/utf8.hpp"
#include "seal/cbor_util_cbor.hpp"
#include "seal/seal_detail.hpp"

#include <algorithm>
#include <array>

namespace sdc {
namespace {

enum Key : std::int64_t {
  k_version = 0,
  k_issuer = 1,
  k_office = 2,
  k_document_number = 3,
  k_registration_number = 4,
  k_docket_number = 5,
  k_surname = 6,
  k_given_names = 7,
  k_surname_latin = 8,
  k_given_names_latin = 9,
  k_date_of_birth = 10,
  k_sex = 11,
  k_nationality = 12,
  k_issue_date = 13,
  k_expiry_date = 14,
  k_card_variant = 15,
  k_pattern_id = 16,
  k_photo_hash = 17,
  k_template_id = 18,
};
constexpr std::uint64_t kTagDays = 100;  // RFC 8943: days since 1970-01-01
constexpr std::size_t kMaxString = 200;

struct TextField {
  Key key;
  const char* name;
  std::string SealPayload::*member;
};
constexpr std::array<TextField, 11> kTextFields = {{
    {k_issuer, "issuer", &SealPayload::issuer},
    {k_office, "office", &SealPayload::office},
    {k_document_number, "document_number", &SealPayload::document_number},
    {k_registration_number, "registration_number", &SealPayload::registration_number},
    {k_docket_number, "docket_number", &SealPayload::docket_number},
    {k_surname, "surname", &SealPayload::surname},
    {k_given_names, "given_names", &SealPayload::given_names},
    {k_surname_latin, "surname_latin", &SealPayload::surname_latin},
    {k_given_names_latin, "given_names_latin", &SealPayload::given_names_latin},
    {k_sex, "sex", &SealPayload::sex},
    {k_nationality, "nationality", &SealPayload::nationality},
}};
struct DateField {
  Key key;
  const char* name;
  std::string SealPayload::*member;
};
constexpr std::array<DateField, 3> kDateFields = {{
    {k_date_of_birth, "date_of_birth", &SealPayload::date_of_birth},
    {k_issue_date, "issue_date", &SealPayload::issue_date},
    {k_expiry_date, "expiry_date", &SealPayload::expiry_date},
}};

Error field_error(const char* field, std::string message, std::string hint) {
  return Error(Errc::invalid_field, std::move(message), std::move(hint), Where{.field = field});
}

// Seal dates are read and written for years 1..9999 (records limit theirs to 1900..2199).
constexpr int kMinYear = 1, kMaxYear = 9999;

std::string format_ymd(std::int64_t days) {
  int y = 0, m = 0, d = 0;
  detail::civil_from_days(days, y, m, d);
  return detail::format_ymd(y, m, d);
}

// The MRZ form implied when a payload leaves it out: for a printed name in ASCII, letters
// upper-cased, digits kept, everything else '<' ("Specimen-Example" -> "SPECIMEN<EXAMPLE"); for a
// name with any non-ASCII character, the printed name itself.
std::string implied_latin(const std::string& printed) {
  if (std::any_of(printed.begin(), printed.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return printed;
  std::string out = printed;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      c = '<';
  }
  return out;
}

Error payload_error(std::string message) {
  return Error(Errc::bad_seal, "seal payload: " + std::move(message),
               "the seal was signed over data that is not an sdc card payload (version 1)");
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_seal_payload(const SealPayload& p) {
  if (p.version != 1)
    return field_error("version", "payload version " + std::to_string(p.version) + " is not supported",
                       "use version 1");
  for (const auto& f : kTextFields) {
    const std::string& v = p.*f.member;
    if (v.size() > kMaxString)
      return field_error(f.name, std::string(f.name) + " is " + std::to_string(v.size()) + " bytes long (limit 200)",
                         "shorten it");
    if (!detail::utf8_valid(v))
      return field_error(f.name, std::string(f.name) + " is not valid UTF-8", "fix the record's encoding");
  }
  if (!p.sex.empty() && p.sex != "F" && p.sex != "M" && p.sex != "X")
    return field_error("sex", "sex '" + p.sex + "' is not F, M or X", "write F, M or X");
  std::int64_t variant = 0;
  if (p.card_variant == "temporary") {
    variant = 1;
  } else if (p.card_variant == "permanent") {
    variant = 2;
  } else if (!p.card_variant.empty()) {
    return field_error("card_variant", "card variant '" + p.card_variant + "' is not temporary or permanent",
                       "write temporary or permanent");
  }
  std::vector<std::uint8_t> pattern_bytes;
  if (p.pattern_id.size() % 2 != 0 || p.pattern_id.size() > 64)
    return field_error("pattern_id", "pattern id must be an even number of hex digits, at most 64",
                       "give the guilloche pattern id as hex");
  if (!detail::from_hex(p.pattern_id, pattern_bytes))
    return field_error("pattern_id", "pattern id '" + p.pattern_id + "' is not hexadecimal",
                       "give the guilloche pattern id as hex digits 0-9 a-f");
  std::vector<std::uint8_t> template_bytes;
  if (p.template_id.size() % 2 != 0 || p.template_id.size() > 64)
    return field_error("template_id", "template id must be an even number of hex digits, at most 64",
                       "give the first 16 hex digits of Template::content_id()");
  if (!detail::from_hex(p.template_id, template_bytes))
    return field_error("template_id", "template id '" + p.template_id + "' is not hexadecimal",
                       "give the template id as hex digits 0-9 a-f");
  if (p.photo_hash.size() > 64)
    return field_error("photo_hash", "photo hash of " + std::to_string(p.photo_hash.size()) + " bytes (limit 64)",
                       "use sdc::photo_hash()");

  using namespace detail;
  // Dates are checked before anything is written.
  std::int64_t days[kDateFields.size()] = {};
  for (std::size_t i = 0; i < kDateFields.size(); ++i) {
    const auto& f = kDateFields[i];
    const std::string& v = p.*f.member;
    int y = 0, m = 0, d = 0;
    if (!v.empty() && !detail::parse_ymd(v, kMinYear, kMaxYear, y, m, d))
      return field_error(f.name, std::string(f.name) + " '" + v + "' is not a calendar date YYYY-MM-DD",
                         "write the date as YYYY-MM-DD");
    if (!v.empty()) days[i] = days_from_civil(y, m, d);
  }
  const bool surname_latin = p.surname_latin != implied_latin(p.surname);
  const bool given_latin = p.given_names_latin != implied_latin(p.given_names);

  // Pairs in ascending key order (deterministic encoding); empty values are left out. Written
  // twice: once to count the pairs for the map head, once into the buffer.
  std::vector<std::uint8_t> out;
  auto pairs = [&](auto&& put_int, auto&& put_text, auto&& put_date, auto&& put_bytes) {
    put_int(k_version, p.version);
    for (std::size_t i = 0; i < 7; ++i) put_text(kTextFields[i].key, p.*kTextFields[i].member);
    if (surname_latin) put_text(k_surname_latin, p.surname_latin);
    if (given_latin) put_text(k_given_names_latin, p.given_names_latin);
    put_date(0);
    put_text(k_sex, p.sex);
    put_text(k_nationality, p.nationality);
    put_date(1);
    put_date(2);
    if (variant) put_int(k_card_variant, variant);
    put_bytes(k_pattern_id, std::span<const std::uint8_t>(pattern_bytes));
    put_bytes(k_photo_hash, std::span<const std::uint8_t>(p.photo_hash));
    put_bytes(k_template_id, std::span<const std::uint8_t>(template_bytes));
  };
  std::size_t count = 0, text_bytes = 0;
  pairs([&](Key, std::int64_t) { ++count; },
        [&](Key, const std::string& v) {
          count += !v.empty();
          text_bytes += v.size();
        },
        [&](std::size_t i) { count += !(p.*kDateFields[i].member).empty(); },
        [&](Key, std::span<const std::uint8_t> b) {
          count += !b.empty();
          text_bytes += b.size();
        });
  out.reserve(text_bytes + 3 * count + 16);
  CborWriter w(out);
  w.map(count);
  pairs(
      [&](Key k, std::int64_t v) {
        w.integer(k);
        w.integer(v);
      },
      [&](Key k, const std::string& v) {
        if (v.empty()) return;
        w.integer(k);
        w.text(v);
      },
      [&](std::size_t i) {
        if ((p.*kDateFields[i].member).empty()) return;
        w.integer(kDateFields[i].key);
        w.tag(kTagDays);
        w.integer(days[i]);
      },
      [&](Key k, std::span<const std::uint8_t> b) {
        if (b.empty()) return;
        w.integer(k);
        w.bytes(b);
      });
  return out;
}

Result<SealPayload> decode_seal_payload(std::span<const std::uint8_t> cbor) {
  using namespace detail;
  std::string error;
  CborPtr root = cbor_load_checked(cbor, error);
  if (!root) return payload_error(error);
  if (!cbor_isa_map(root.get())) return payload_error("not a CBOR map");
  SealPayload p;
  p.version = 0;
  bool has_version = false, has_surname_latin = false, has_given_latin = false;
  const std::size_t n = cbor_map_size(root.get());
  const cbor_pair* pairs = cbor_map_handle(root.get());
  // The version key first: a map without it is some other signed data (a DCC, a CWT), not an sdc
  // card with a broken field.
  if (std::none_of(pairs, pairs + n, [](const cbor_pair& kv) {
        std::int64_t k = -1;
        return get_int(kv.key, k) && k == k_version;
      }))
    return payload_error("no version (key 0): the map is not an sdc card payload");
  SeenKeys seen;
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t key = 0;
    if (!get_int(pairs[i].key, key)) return payload_error("key " + std::to_string(i) + " is not an integer");
    if (!seen.insert(key)) return payload_error("key " + std::to_string(key) + " appears twice");
    const cbor_item_t* v = pairs[i].value;
    bool done = false;
    for (const auto& f : kTextFields) {
      if (f.key != key) continue;
      if (!get_text(v, p.*f.member) || (p.*f.member).size() > kMaxString || !detail::utf8_valid(p.*f.member))
        return payload_error(std::string(f.name) + " (key " + std::to_string(key) + ") is not a UTF-8 text string");
      has_surname_latin |= key == k_surname_latin;
      has_given_latin |= key == k_given_names_latin;
      done = true;
    }
    for (const auto& f : kDateFields) {
      if (f.key != key) continue;
      std::int64_t days = 0;
      if (!cbor_isa_tag(v) || cbor_tag_value(v) != kTagDays || !get_int(cbor_tag_content(v), days) ||
          days < days_from_civil(kMinYear, 1, 1) || days > days_from_civil(kMaxYear, 12, 31))
        return payload_error(std::string(f.name) + " (key " + std::to_string(key) +
                             ") is not a tag-100 day count between years 1 and 9999");
      p.*f.member = format_ymd(days);
      done = true;
    }
    if (done) continue;
    std::int64_t iv = 0;
    std::vector<std::uint8_t> bytes;
    switch (key) {
      case k_version:
        if (!get_int(v, iv)) return payload_error("version (key 0) is not an integer");
        if (iv != 1) return payload_error("version " + std::to_string(iv) + " is not supported (only 1)");
        p.version = 1;
        has_version = true;
        break;
      case k_card_variant:
        if (!get_int(v, iv) || (iv != 1 && iv != 2)) return payload_error("card variant (key 15) is not 1 or 2");
        p.card_variant = iv == 1 ? "temporary" : "permanent";
        break;
      case k_pattern_id:
        if (!get_bytes(v, bytes) || bytes.size() > 32) return payload_error("pattern id (key 16) is not a byte string");
        p.pattern_id = detail::to_hex(bytes);
        break;
      case k_photo_hash:
        if (!get_bytes(v, p.photo_hash) || p.photo_hash.size() > 64)
          return payload_error("photo hash (key 17) is not a byte string");
        break;
      case k_template_id:
        if (!get_bytes(v, bytes) || bytes.size() > 32)
          return payload_error("template id (key 18) is not a byte string of at most 32 bytes");
        p.template_id = detail::to_hex(bytes);
        break;
      default: break;  // unknown keys are ignored: later versions may add fields
    }
  }
  if (!has_version) return payload_error("no version (key 0)");
  if (p.sex.size() > 0 && p.sex != "F" && p.sex != "M" && p.sex != "X")
    return payload_error("sex (key 11) is not F, M or X");
  if (!has_surname_latin) p.surname_latin = implied_latin(p.surname);
  if (!has_given_latin) p.given_names_latin = implied_latin(p.given_names);
  return p;
}

}  // namespace sdc
