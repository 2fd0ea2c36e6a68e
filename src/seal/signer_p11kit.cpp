// The PKCS#11 signer: p11-kit loads the token's module and parses the pkcs11: URI; the private key
// stays in the token, which signs the SHA-256 digest (ES256) or the message (Ed25519). The only
// file that includes p11-kit. Nothing here puts the PIN into a message.
#include <sdc/pkcs11.hpp>

#include "core/digest.hpp"
#include "core/read_file.hpp"
#include "seal/seal_detail.hpp"

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sdc {
namespace {

// DER of the curve parameters a token reports in CKA_EC_PARAMS.
constexpr std::array<std::uint8_t, 10> kP256Oid = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
constexpr std::array<std::uint8_t, 5> kEd25519Oid = {0x06, 0x03, 0x2B, 0x65, 0x70};
// PKCS#11 3.0 also allows the curve name as a PrintableString (SoftHSM accepts both).
constexpr std::string_view kEd25519Name =
    "\x13\x0c"
    "edwards25519";

// Signed at load and checked with the certificate's key: proves the pair belongs together.
constexpr std::string_view kProbe = "sdc: does this token key belong to the signer certificate?";

std::string rv_text(CK_RV rv) {
  const char* s = p11_kit_strerror(rv);
  return s ? std::string(s) : "PKCS#11 error " + std::to_string(rv);
}

// The URI as it may be shown: the value of pin-value, and of any misspelt attribute that looks
// like it ("pin-valu="), replaced. pin-source (a file name) stays.
std::string redacted(std::string_view uri) {
  std::string out;
  std::size_t i = 0;
  while (i < uri.size()) {
    const std::size_t end = std::min(uri.find_first_of(";?&", i), uri.size());
    const std::string_view part = uri.substr(i, end - i);
    const std::string_view name = part.substr(0, part.find('='));
    if (name.find("pin") != std::string_view::npos && name != "pin-source" && name.size() < part.size()) {
      out += name;
      out += "=(hidden)";
    } else {
      out += part;
    }
    if (end < uri.size()) out += uri[end];
    i = end + 1;
  }
  return out;
}

struct Uri {
  P11KitUri* p = p11_kit_uri_new();
  Uri() = default;
  Uri(const Uri&) = delete;
  Uri& operator=(const Uri&) = delete;
  ~Uri() {
    if (!p) return;
    if (const char* pin = p11_kit_uri_get_pin_value(p)) detail::secure_wipe(const_cast<char*>(pin), std::strlen(pin));
    p11_kit_uri_free(p);
  }
};

// A copy of a secret that is wiped when it goes.
struct Secret {
  std::string value;
  Secret() = default;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() { detail::secure_wipe(value.data(), value.size()); }
};

Result<std::unique_ptr<Uri>> parse_uri(std::string_view text, const std::string& shown) {
  auto uri = std::make_unique<Uri>();
  if (!uri->p) throw std::bad_alloc();
  Secret copy;  // NUL-terminated for p11-kit; may hold a pin-value
  copy.value.assign(text);
  const int rc = p11_kit_uri_parse(copy.value.c_str(), P11_KIT_URI_FOR_ANY, uri->p);
  if (rc != P11_KIT_URI_OK)
    return Error(Errc::invalid_argument,
                 "the PKCS#11 URI does not parse: " + std::string(p11_kit_uri_message(rc)) + " (" + shown + ")",
                 "write it as in RFC 7512, e.g. pkcs11:token=NAME;object=LABEL?module-path=/path/module.so");
  if (p11_kit_uri_any_unrecognized(uri->p))
    return Error(Errc::invalid_argument, "the PKCS#11 URI has an attribute sdc does not know (" + shown + ")",
                 "use only token=, manufacturer=, model=, serial=, slot-id=, object=, id=, type=private, "
                 "module-path=, module-name=, pin-source= and pin-value= (docs/keys.md)");
  return uri;
}

// The module(s) to search, kept loaded and initialised for the signer's lifetime. p11-kit
// "manages" them: it counts initialisations, so another user of the module in this process is
// not disturbed.
struct Modules {
  CK_FUNCTION_LIST* single = nullptr;
  CK_FUNCTION_LIST** list = nullptr;
  std::vector<CK_FUNCTION_LIST*> candidates;
  Modules() = default;
  Modules(const Modules&) = delete;
  Modules& operator=(const Modules&) = delete;
  ~Modules() {
    if (single) {
      p11_kit_module_finalize(single);
      p11_kit_module_release(single);
    }
    if (list) p11_kit_modules_finalize_and_release(list);
  }
};

Result<std::unique_ptr<Modules>> load_modules(P11KitUri* uri, const std::string& shown) {
  auto m = std::make_unique<Modules>();
  if (const char* path = p11_kit_uri_get_module_path(uri)) {
    m->single = p11_kit_module_load(path, 0);
    if (!m->single)
      return Error(Errc::io, std::string("cannot load the PKCS#11 module ") + path,
                   "module-path= must name the token's module file (e.g. /usr/lib/softhsm/libsofthsm2.so)",
                   Where{.file = path});
    const CK_RV rv = p11_kit_module_initialize(m->single);
    if (rv != CKR_OK) {
      p11_kit_module_release(m->single);
      m->single = nullptr;
      return Error(Errc::io, std::string("the PKCS#11 module ") + path + " does not start: " + rv_text(rv),
                   "check the module's own configuration (for SoftHSM2: SOFTHSM2_CONF and its token folder)",
                   Where{.file = path});
    }
    m->candidates.push_back(m->single);
    return m;
  }
  m->list = p11_kit_modules_load_and_initialize(0);
  if (!m->list)
    return Error(Errc::io, "p11-kit could not load its registered PKCS#11 modules (" + shown + ")",
                 "add module-path=/path/to/module.so to the URI");
  const char* name = p11_kit_uri_get_module_name(uri);
  for (CK_FUNCTION_LIST** it = m->list; *it; ++it) {
    if (name) {
      char* n = p11_kit_module_get_name(*it);
      const bool same = n && std::strcmp(n, name) == 0;
      std::free(n);
      if (!same) continue;
    }
    m->candidates.push_back(*it);
  }
  if (m->candidates.empty())
    return Error(Errc::bad_key,
                 name ? "no PKCS#11 module named '" + std::string(name) + "' is registered with p11-kit (" + shown + ")"
                      : "no PKCS#11 module is registered with p11-kit (" + shown + ")",
                 "add module-path=/path/to/module.so to the URI, or register the module (p11-kit list-modules)");
  return m;
}

struct Token {
  CK_FUNCTION_LIST* f = nullptr;
  CK_SLOT_ID slot = 0;
  CK_FLAGS flags = 0;
  std::string label;
};

Result<Token> find_token(const Modules& modules, P11KitUri* uri, const std::string& shown) {
  std::vector<Token> found;
  const CK_SLOT_ID wanted_slot = p11_kit_uri_get_slot_id(uri);
  for (CK_FUNCTION_LIST* f : modules.candidates) {
    CK_INFO info{};
    if (f->C_GetInfo(&info) != CKR_OK || p11_kit_uri_match_module_info(uri, &info) != 1) continue;
    CK_ULONG n = 0;
    if (f->C_GetSlotList(CK_TRUE, nullptr, &n) != CKR_OK || n == 0) continue;
    std::vector<CK_SLOT_ID> slots(n);
    if (f->C_GetSlotList(CK_TRUE, slots.data(), &n) != CKR_OK) continue;
    slots.resize(n);
    for (CK_SLOT_ID s : slots) {
      if (wanted_slot != static_cast<CK_SLOT_ID>(-1) && s != wanted_slot) continue;
      CK_SLOT_INFO si{};
      CK_TOKEN_INFO ti{};
      if (f->C_GetSlotInfo(s, &si) != CKR_OK || p11_kit_uri_match_slot_info(uri, &si) != 1) continue;
      if (f->C_GetTokenInfo(s, &ti) != CKR_OK || p11_kit_uri_match_token_info(uri, &ti) != 1) continue;
      if (!(ti.flags & CKF_TOKEN_INITIALIZED)) continue;
      std::string label(reinterpret_cast<const char*>(ti.label), p11_kit_space_strlen(ti.label, sizeof ti.label));
      found.push_back(Token{f, s, ti.flags, std::move(label)});
    }
  }
  if (found.empty())
    return Error(Errc::bad_key, "no PKCS#11 token matches " + shown,
                 "check token= (the label), the module (module-path=) and that the token is present; list tokens "
                 "with 'p11tool --list-tokens' or 'softhsm2-util --show-slots'");
  if (found.size() > 1) {
    std::string labels;
    for (const auto& t : found) labels += (labels.empty() ? "'" : ", '") + t.label + "'";
    // Several tokens: logging in to each with one PIN would spend their retry counters.
    return Error(Errc::bad_key, std::to_string(found.size()) + " PKCS#11 tokens match " + shown + ": " + labels,
                 "name one token with token=LABEL (or serial=)");
  }
  return found.front();
}

class Session {
 public:
  Session(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE h) : f_(f), h_(h) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
    if (h_ != CK_INVALID_HANDLE) f_->C_CloseSession(h_);
  }
  /// The signer closes it from now on.
  void hand_over() noexcept { h_ = CK_INVALID_HANDLE; }

 private:
  CK_FUNCTION_LIST* f_;
  CK_SESSION_HANDLE h_;
};

Status login(const Token& t, CK_SESSION_HANDLE s, P11KitUri* uri, std::string_view given_pin,
             const std::string& shown) {
  if (!(t.flags & CKF_LOGIN_REQUIRED) && given_pin.empty()) return {};
  Secret pin;
  if (!given_pin.empty()) {
    pin.value.assign(given_pin);
  } else if (const char* source = p11_kit_uri_get_pin_source(uri)) {
    std::string_view file(source);
    if (file.starts_with("file:")) file.remove_prefix(5);
    SDC_TRY_ASSIGN(auto read, read_passphrase_file(std::string(file)));
    pin.value = read;
    detail::secure_wipe(read.data(), read.size());
  } else if (const char* value = p11_kit_uri_get_pin_value(uri)) {
    pin.value = value;
  }
  CK_RV rv;
  if (pin.value.empty()) {
    if (!(t.flags & CKF_PROTECTED_AUTHENTICATION_PATH))
      return Error(Errc::bad_key, "the token '" + t.label + "' needs its user PIN (" + shown + ")",
                   "add pin-source=file:/path/to/pinfile to the URI, or give the PIN (load_pkcs11_signer's pin; "
                   "--passphrase-file PINFILE)");
    rv = t.f->C_Login(s, CKU_USER, nullptr, 0);  // the reader's PIN pad asks
  } else {
    rv = t.f->C_Login(s, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.value.data()),
                      static_cast<CK_ULONG>(pin.value.size()));
  }
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) return {};
  if (rv == CKR_PIN_INCORRECT)
    return Error(Errc::bad_key, "the PIN for token '" + t.label + "' is wrong",
                 "check the PIN file; the token counts failed tries and locks the PIN after a few");
  if (rv == CKR_PIN_LOCKED)
    return Error(Errc::bad_key, "the user PIN of token '" + t.label + "' is locked",
                 "the token's security officer must unlock it (softhsm2-util / the vendor's tool)");
  return Error(Errc::bad_key, "cannot log in to token '" + t.label + "': " + rv_text(rv), "check the token and PIN");
}

// An attribute's value; empty when the object does not have it.
std::vector<std::uint8_t> attribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                                    CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a{type, nullptr, 0};
  if (f->C_GetAttributeValue(s, o, &a, 1) != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) return {};
  std::vector<std::uint8_t> v(a.ulValueLen);
  a.pValue = v.data();
  if (f->C_GetAttributeValue(s, o, &a, 1) != CKR_OK) return {};
  v.resize(a.ulValueLen);
  return v;
}

Result<std::vector<CK_OBJECT_HANDLE>> find_objects(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                                   std::vector<CK_ATTRIBUTE> tmpl) {
  if (const CK_RV rv = f->C_FindObjectsInit(s, tmpl.data(), static_cast<CK_ULONG>(tmpl.size())); rv != CKR_OK)
    return Error(Errc::bad_key, "the token refused the object search: " + rv_text(rv), "check the URI");
  std::vector<CK_OBJECT_HANDLE> out(8);
  CK_ULONG n = 0;
  const CK_RV rv = f->C_FindObjects(s, out.data(), static_cast<CK_ULONG>(out.size()), &n);
  f->C_FindObjectsFinal(s);
  if (rv != CKR_OK) return Error(Errc::bad_key, "the token's object search failed: " + rv_text(rv), "check the URI");
  out.resize(n);
  return out;
}

class Pkcs11Signer final : public Signer {
 public:
  Pkcs11Signer(std::unique_ptr<Modules> modules, CK_FUNCTION_LIST* f, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key,
               SignatureAlg alg)
      : modules_(std::move(modules)), f_(f), session_(session), key_(key), alg_(alg) {}
  Pkcs11Signer(const Pkcs11Signer&) = delete;
  Pkcs11Signer& operator=(const Pkcs11Signer&) = delete;
  ~Pkcs11Signer() override { f_->C_CloseSession(session_); }  // before modules_ finalises

  void set_kid(std::vector<std::uint8_t> kid) { kid_ = std::move(kid); }
  SignatureAlg algorithm() const noexcept override { return alg_; }
  std::vector<std::uint8_t> key_id() const override { return kid_; }

  Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> tbs) const override {
    detail::Digest digest{};
    CK_MECHANISM mech{CKM_EDDSA, nullptr, 0};
    std::span<const std::uint8_t> data = tbs;
    if (alg_ == SignatureAlg::es256) {
      digest = detail::digest_sha256(tbs);  // CKM_ECDSA signs a digest: every token has it
      mech.mechanism = CKM_ECDSA;
      data = digest;
    }
    std::vector<std::uint8_t> sig(132);  // room for any curve; P-256 and Ed25519 give 64
    CK_ULONG len = static_cast<CK_ULONG>(sig.size());
    CK_RV rv;
    {
      // One operation at a time per session (PKCS#11 §5.1): serialise the signers' threads.
      std::lock_guard lock(mutex_);
      rv = f_->C_SignInit(session_, &mech, key_);
      if (rv == CKR_OK)
        rv = f_->C_Sign(session_, const_cast<CK_BYTE*>(data.data()), static_cast<CK_ULONG>(data.size()), sig.data(),
                        &len);
    }
    if (rv == CKR_USER_NOT_LOGGED_IN || rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED ||
        rv == CKR_DEVICE_REMOVED || rv == CKR_TOKEN_NOT_PRESENT)
      return Error(Errc::bad_key, "the PKCS#11 token no longer signs: " + rv_text(rv),
                   "the token was removed, reset or logged out: load the signer again (restart the command)");
    if (rv != CKR_OK)
      return Error(Errc::bad_key, "the PKCS#11 token could not sign the seal: " + rv_text(rv),
                   "check that the key may sign (CKA_SIGN) with " + std::string(to_string(alg_)));
    if (len != 64)
      return Error(Errc::bad_key, "the PKCS#11 token returned a " + std::to_string(len) + "-byte signature, not 64",
                   "use a P-256 or Ed25519 key");
    sig.resize(len);
    // Every sdc seal carries the low-S form, whoever holds the key (docs/seal.md, "Malleability").
    if (alg_ == SignatureAlg::es256) detail::to_low_s_p256(std::span(sig).subspan(32));
    return sig;
  }

 private:
  std::unique_ptr<Modules> modules_;
  CK_FUNCTION_LIST* f_;
  CK_SESSION_HANDLE session_;
  CK_OBJECT_HANDLE key_;
  SignatureAlg alg_;
  std::vector<std::uint8_t> kid_;
  mutable std::mutex mutex_;
};

Result<SignatureAlg> key_algorithm(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key,
                                   const std::string& shown) {
  const auto type_bytes = attribute(f, s, key, CKA_KEY_TYPE);
  CK_KEY_TYPE type = static_cast<CK_KEY_TYPE>(-1);
  if (type_bytes.size() == sizeof type) std::memcpy(&type, type_bytes.data(), sizeof type);
  const auto params = attribute(f, s, key, CKA_EC_PARAMS);
  const auto is = [&](std::span<const std::uint8_t> want) { return std::ranges::equal(params, want); };
  const std::span<const std::uint8_t> ed_name(reinterpret_cast<const std::uint8_t*>(kEd25519Name.data()),
                                              kEd25519Name.size());
  if (type == CKK_EC && is(kP256Oid)) return SignatureAlg::es256;
  if (type == CKK_EC_EDWARDS && (is(kEd25519Oid) || is(ed_name))) return SignatureAlg::ed25519;
  const std::string what = type == CKK_EC           ? "an EC key on a curve other than P-256"
                           : type == CKK_EC_EDWARDS ? "an Edwards key other than Ed25519"
                           : type == CKK_RSA        ? "an RSA key"
                                                    : "a key of type " + std::to_string(type);
  return Error(Errc::bad_key, "the token key " + shown + " is " + what + "; seals are signed with P-256 or Ed25519",
               "generate a P-256 (secp256r1) or Ed25519 key in the token (docs/keys.md)");
}

Result<std::vector<std::uint8_t>> certificate_from_token(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                                         std::vector<std::uint8_t> id, std::vector<std::uint8_t> label,
                                                         const std::string& shown) {
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  std::vector<CK_ATTRIBUTE> tmpl{{CKA_CLASS, &cls, sizeof cls}};
  if (!id.empty()) tmpl.push_back({CKA_ID, id.data(), static_cast<CK_ULONG>(id.size())});
  if (id.empty() && !label.empty()) tmpl.push_back({CKA_LABEL, label.data(), static_cast<CK_ULONG>(label.size())});
  SDC_TRY_ASSIGN(const auto certs, find_objects(f, s, std::move(tmpl)));
  if (certs.size() != 1)
    return Error(Errc::bad_key,
                 (certs.empty() ? std::string("no certificate") : std::to_string(certs.size()) + " certificates") +
                     " with the key's id in the token (" + shown + ")",
                 "store the signer certificate in the token with the key's id, or give it as a file "
                 "(load_pkcs11_signer's cert; --cert FILE)");
  auto der = attribute(f, s, certs.front(), CKA_VALUE);
  if (der.empty())
    return Error(Errc::bad_key, "the token's certificate object has no value (" + shown + ")",
                 "give the certificate as a file (load_pkcs11_signer's cert; --cert FILE)");
  return der;
}

}  // namespace

bool is_pkcs11_uri(std::string_view key) noexcept {
  constexpr std::string_view scheme = "pkcs11:";
  if (key.size() < scheme.size()) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    const char c = key[i] >= 'A' && key[i] <= 'Z' ? static_cast<char>(key[i] - 'A' + 'a') : key[i];
    if (c != scheme[i]) return false;
  }
  return true;
}

Result<std::shared_ptr<const Signer>> load_pkcs11_signer(std::string_view uri_text, const std::filesystem::path& cert,
                                                         std::string_view pin) {
  const std::string shown = redacted(uri_text);
  SDC_TRY_ASSIGN(const auto uri, parse_uri(uri_text, shown));
  // Object attributes: the search template, less the class (always a private key here).
  CK_ULONG n_attrs = 0;
  CK_ATTRIBUTE* attrs = p11_kit_uri_get_attributes(uri->p, &n_attrs);
  CK_OBJECT_CLASS key_class = CKO_PRIVATE_KEY;
  std::vector<CK_ATTRIBUTE> tmpl{{CKA_CLASS, &key_class, sizeof key_class}};
  std::vector<std::uint8_t> id, label;
  for (CK_ULONG i = 0; i < n_attrs; ++i) {
    const CK_ATTRIBUTE& a = attrs[i];
    const auto* bytes = static_cast<const std::uint8_t*>(a.pValue);
    if (a.type == CKA_CLASS) {
      CK_OBJECT_CLASS c = CKO_DATA;
      if (a.ulValueLen == sizeof c) std::memcpy(&c, a.pValue, sizeof c);
      if (c != CKO_PRIVATE_KEY)
        return Error(Errc::invalid_argument,
                     "the PKCS#11 URI names an object that is not a private key (" + shown + ")",
                     "use type=private, or leave type= out");
      continue;
    }
    if (a.type == CKA_ID) id.assign(bytes, bytes + a.ulValueLen);
    if (a.type == CKA_LABEL) label.assign(bytes, bytes + a.ulValueLen);
    tmpl.push_back(a);
  }
  if (id.empty() && label.empty())
    return Error(Errc::invalid_argument, "the PKCS#11 URI names no key (" + shown + ")",
                 "add object=LABEL and/or id=%01 (the key's CKA_ID) to the URI");

  SDC_TRY_ASSIGN(auto modules, load_modules(uri->p, shown));
  SDC_TRY_ASSIGN(const Token token, find_token(*modules, uri->p, shown));
  CK_FUNCTION_LIST* f = token.f;
  CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
  if (const CK_RV rv = f->C_OpenSession(token.slot, CKF_SERIAL_SESSION, nullptr, nullptr, &handle); rv != CKR_OK)
    return Error(Errc::bad_key, "cannot open a session on token '" + token.label + "': " + rv_text(rv),
                 "check that the token is present and not in use by a program that holds it exclusively");
  Session session(f, handle);  // closed on every error below, before the modules are finalised
  SDC_TRY(login(token, handle, uri->p, pin, shown));

  SDC_TRY_ASSIGN(const auto keys, find_objects(f, handle, tmpl));
  if (keys.size() != 1)
    return Error(Errc::bad_key,
                 (keys.empty() ? std::string("no private key") : std::to_string(keys.size()) + " private keys") +
                     " in token '" + token.label + "' match " + shown,
                 keys.empty() ? "check object= and id= (list the keys with 'p11tool --list-privkeys --login URI')"
                              : "name one key: add id= or a more precise object=");
  const CK_OBJECT_HANDLE key = keys.front();
  SDC_TRY_ASSIGN(const SignatureAlg alg, key_algorithm(f, handle, key, shown));
  if (const auto always = attribute(f, handle, key, CKA_ALWAYS_AUTHENTICATE); !always.empty() && always[0] != 0)
    return Error(Errc::bad_key, "the token key " + shown + " asks for the PIN before every signature",
                 "create the seal key without CKA_ALWAYS_AUTHENTICATE: sdc signs many cards per login");

  std::vector<std::uint8_t> cert_bytes;
  std::string cert_name;
  if (cert.empty() || is_pkcs11_uri(cert.native())) {
    auto cert_id = attribute(f, handle, key, CKA_ID);
    auto cert_label = label;
    cert_name = "certificate in token '" + token.label + "'";
    if (!cert.empty()) {  // the certificate's own URI: its id/object on the same token
      const std::string cert_shown = redacted(cert.native());
      SDC_TRY_ASSIGN(const auto cu, parse_uri(cert.native(), cert_shown));
      const CK_ATTRIBUTE* ci = p11_kit_uri_get_attribute(cu->p, CKA_ID);
      const CK_ATTRIBUTE* cl = p11_kit_uri_get_attribute(cu->p, CKA_LABEL);
      const auto bytes = [](const CK_ATTRIBUTE* a) {
        const auto* b = static_cast<const std::uint8_t*>(a->pValue);
        return std::vector<std::uint8_t>(b, b + a->ulValueLen);
      };
      if (ci || cl) {
        cert_id = ci ? bytes(ci) : std::vector<std::uint8_t>{};
        cert_label = cl ? bytes(cl) : std::vector<std::uint8_t>{};
      }
      cert_name = cert_shown;
    }
    SDC_TRY_ASSIGN(cert_bytes, certificate_from_token(f, handle, std::move(cert_id), std::move(cert_label), shown));
  } else {
    SDC_TRY_ASSIGN(auto read, detail::read_input_bytes(cert, 1024 * 1024, "signer certificate file"));
    cert_bytes = std::move(read);
    cert_name = cert.string();
  }
  auto certs = detail::parse_certificates(cert_bytes);
  if (!certs) return std::move(certs).error().in_file(cert_name);
  const detail::ParsedCert& pc = certs->front();
  const char* want_type = alg == SignatureAlg::es256 ? "P-256" : "Ed25519";
  if (pc.info.key_type != want_type)
    return Error(
        Errc::bad_key,
        "the token key is " + std::string(want_type) + " but the certificate holds a " + pc.info.key_type + " key",
        "give the certificate issued for this token key", Where{.file = cert_name});

  session.hand_over();
  auto signer = std::make_shared<Pkcs11Signer>(std::move(modules), f, handle, key, alg);
  signer->set_kid(pc.info.kid);
  const std::span<const std::uint8_t> probe(reinterpret_cast<const std::uint8_t*>(kProbe.data()), kProbe.size());
  SDC_TRY_ASSIGN(const auto sig, signer->sign(probe));
  if (detail::verify_signature(alg, *pc.key, probe, sig) != detail::SigCheck::ok)
    return Error(Errc::bad_key, "the token key " + shown + " does not belong to the certificate " + cert_name,
                 "give the certificate issued for this key (same id in the token, or the file from its CSR)",
                 Where{.file = cert_name});
  return std::shared_ptr<const Signer>(std::move(signer));
}

}  // namespace sdc
