// The JSON form of a Report (docs/verify.md). The seal keys are those `sdc verify-seal` has always
// printed; "verdict", "summary" and "findings" come on top.
#include <sdc/verify.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

#include "verify/checker_detail.hpp"

namespace sdc {
namespace {

using Json = nlohmann::ordered_json;

// Strings that may carry input (names, messages quoting the seal text) are cut; invalid UTF-8 is
// replaced when the document is written.
Json str(std::string_view s) {
  return detail::clip(s);
}

Json cbor_json(const CborValue& v) {
  using K = CborValue::Kind;
  switch (v.kind) {
    case K::integer: return v.integer;
    case K::big_integer: return v.text;
    case K::bytes: return "h'" + to_hex(v.bytes) + "'";
    case K::text: return str(v.text);
    case K::array: {
      Json a = Json::array();
      for (const auto& x : v.items) a.push_back(cbor_json(x));
      return a;
    }
    case K::map: {
      // JSON keys are text: integers and texts as they are, anything else in its JSON form.
      Json m = Json::object();
      for (std::size_t i = 0; i + 1 < v.items.size(); i += 2) {
        const CborValue& k = v.items[i];
        std::string key = k.kind == K::integer ? std::to_string(k.integer)
                          : k.kind == K::text  ? detail::clip(k.text)
                                               : cbor_json(k).dump(-1, ' ', false, Json::error_handler_t::replace);
        m[key] = cbor_json(v.items[i + 1]);
      }
      return m;
    }
    case K::tag: return Json{{"tag", v.tag}, {"value", v.items.empty() ? Json() : cbor_json(v.items[0])}};
    case K::boolean: return v.boolean;
    case K::null: return nullptr;
    case K::undefined: return "undefined";
    case K::simple: return "simple(" + std::to_string(v.integer) + ")";
    case K::floating: return v.number;
  }
  return nullptr;
}

Json payload_json(const SealPayload& p) {
  Json pj;
  pj["version"] = p.version;
  auto put = [&](const char* k, const std::string& s) {
    if (!s.empty()) pj[k] = str(s);
  };
  put("issuer", p.issuer);
  put("office", p.office);
  put("document_number", p.document_number);
  put("registration_number", p.registration_number);
  put("docket_number", p.docket_number);
  put("surname", p.surname);
  put("given_names", p.given_names);
  put("surname_latin", p.surname_latin);
  put("given_names_latin", p.given_names_latin);
  put("date_of_birth", p.date_of_birth);
  put("sex", p.sex);
  put("nationality", p.nationality);
  put("issue_date", p.issue_date);
  put("expiry_date", p.expiry_date);
  put("card_variant", p.card_variant);
  put("pattern_id", p.pattern_id);
  put("template_id", p.template_id);
  if (!p.photo_hash.empty()) pj["photo_hash"] = to_hex(p.photo_hash);
  return pj;
}

// The keys `sdc verify-seal` printed before the Report existed, into `j`.
void seal_json(const SealResult& s, Json& j) {
  const SealVerification& v = s.verification;
  j["valid"] = v.valid();
  j["reason"] = to_string(v.reason);
  j["message"] = str(v.message);
  if (!v.kid.empty()) j["kid"] = to_hex(v.kid);
  if (v.cose_alg != 0) j["alg"] = v.algorithm ? to_string(*v.algorithm) : std::to_string(v.cose_alg);
  j["compressed"] = v.compressed;
  if (v.signer) {
    j["signer"] = {{"subject", str(v.signer->subject)}, {"key_type", v.signer->key_type}};
    if (v.signer->has_validity) {
      j["signer"]["not_before"] = v.signer->not_before;
      j["signer"]["not_after"] = v.signer->not_after;
    }
  }
  if (v.payload) {
    j["payload"] = payload_json(*v.payload);
  } else if (!v.payload_bytes.empty()) {
    j["payload_hex"] = to_hex(v.payload_bytes);
  }
  if (s.decoded_payload) j["decoded_payload"] = cbor_json(*s.decoded_payload);
  if (v.issued_at) j["issued_at"] = *v.issued_at;
  if (v.expires_at) j["expires_at"] = *v.expires_at;
}

Json finding_json(const Finding& f) {
  Json j;
  j["check"] = f.check;
  j["outcome"] = to_string(f.outcome);
  j["code"] = f.code;
  j["reason"] = str(f.reason);
  if (f.seal >= 0) j["seal"] = f.seal;
  if (f.score) j["score"] = *f.score;
  if (f.threshold) j["threshold"] = *f.threshold;
  if (!f.unread.empty()) {
    Json unread = Json::array();
    for (const auto& e : f.unread) unread.push_back(str(e));
    j["unread"] = std::move(unread);
  }
  return j;
}

double round2(double v) {
  return std::isfinite(v) ? std::round(v * 100) / 100 : 0.0;
}

Json side_json(const SideCheck& s) {
  Json j;
  j["name"] = str(s.name);
  if (!s.side.empty()) j["side"] = s.side;
  j["width"] = s.width;
  j["height"] = s.height;
  const CardLocation& l = s.location;
  j["found"] = l.found;
  if (l.found) {
    j["method"] = l.method;
    static constexpr const char* kCorner[4] = {"top_left", "top_right", "bottom_right", "bottom_left"};
    Json c = Json::object();
    for (std::size_t i = 0; i < 4; ++i) c[kCorner[i]] = Json::array({round2(l.corners[i].x), round2(l.corners[i].y)});
    j["corners"] = std::move(c);
    j["upright_known"] = l.upright_known;
    j["rotation_deg"] = round2(l.rotation_deg);
    j["capture"] = {{"dpi", round2(s.capture.dpi)},
                    {"sharpness", round2(s.capture.sharpness)},
                    {"glare", std::round(s.capture.glare * 10000) / 10000},
                    {"dark", std::round(s.capture.dark * 10000) / 10000},
                    {"edge_mm", std::round(s.capture.edge_mm * 1000) / 1000}};
  }
  j["outlines"] = l.outlines;
  j["codes_found"] = s.codes_found;
  return j;
}

}  // namespace

std::string to_json(const Report& r) {
  try {
    Json j;
    if (r.codes_found < 0) {
      // A seal text: the seal's keys at the top level, as verify-seal always printed them.
      if (!r.seals.empty()) seal_json(r.seals.front(), j);
      j["valid"] = r.valid();
    } else {
      j["image"] = str(r.image);
      j["codes_found"] = r.codes_found;
      j["seals"] = Json::array();
      for (std::size_t i = 0; i < r.seals.size(); ++i) {
        Json s;
        seal_json(r.seals[i], s);
        if (const auto& d = r.seals[i].photo_distance) {
          s["photo_distance"] = *d;
          const Finding* f = r.find("photo", static_cast<int>(i));
          s["photo_matches"] = f && f->outcome == Outcome::pass;
        }
        j["seals"].push_back(std::move(s));
      }
      if (!r.sides.empty()) {
        if (!r.template_id.empty()) j["template"] = {{"name", str(r.template_name)}, {"id", r.template_id}};
        j["sides"] = Json::array();
        for (const auto& s : r.sides) j["sides"].push_back(side_json(s));
        Json t = Json::object();
        for (const auto& st : r.timings) t[st.stage] = std::round(st.ms * 100) / 100;
        j["timings_ms"] = std::move(t);
      }
      j["valid"] = r.valid();
      if (const Finding* qr = r.find("qr", -1); qr && qr->outcome == Outcome::fail) j["message"] = str(qr->reason);
    }
    j["verdict"] = to_string(r.verdict);
    j["summary"] = str(r.summary);
    j["findings"] = Json::array();
    for (const auto& f : r.findings) j["findings"].push_back(finding_json(f));
    j["checked_at"] = r.checked_at;
    return j.dump(2, ' ', false, Json::error_handler_t::replace);
  } catch (const std::exception& e) {
    // Out of memory, or a bug: still a JSON document, saying so.
    try {
      Json j;
      j["valid"] = false;
      j["verdict"] = to_string(r.verdict);
      j["error"] = std::string("internal error while writing the report: ") + e.what();
      return j.dump(2, ' ', false, Json::error_handler_t::replace);
    } catch (...) {
      return "{\"valid\": false, \"error\": \"out of memory\"}";
    }
  }
}

}  // namespace sdc
