// TrustStore: trusted signer keys, kid lookup and revocation lists.
#include <sdc/seal.hpp>

#include "seal/seal_detail.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include "core/read_file.hpp"

namespace sdc {

TrustStore::TrustStore() : impl_(std::make_unique<Impl>()) {}
TrustStore::~TrustStore() = default;
TrustStore::TrustStore(const TrustStore& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
TrustStore& TrustStore::operator=(const TrustStore& o) {
  if (this != &o) impl_ = std::make_unique<Impl>(*o.impl_);
  return *this;
}
// A moved-from store is empty, not null: every method stays callable.
TrustStore::TrustStore(TrustStore&& o) noexcept : impl_(std::exchange(o.impl_, std::make_unique<Impl>())) {}
TrustStore& TrustStore::operator=(TrustStore&& o) noexcept {
  if (this != &o) impl_ = std::exchange(o.impl_, std::make_unique<Impl>());
  return *this;
}

Status TrustStore::add_certificate(std::span<const std::uint8_t> pem_or_der) {
  SDC_TRY_ASSIGN(auto certs, detail::parse_certificates(pem_or_der));
  for (auto& c : certs) impl_->entries.push_back(Impl::Entry{std::move(c.info), std::move(c.key)});
  return {};
}

Status TrustStore::add_public_key(std::span<const std::uint8_t> kid, std::span<const std::uint8_t> spki_der,
                                  std::string label) {
  if (kid.empty()) return Error(Errc::bad_key, "a trusted key needs a non-empty kid", "give the kid the signer uses");
  std::string type;
  SDC_TRY_ASSIGN(auto key, detail::parse_public_key(spki_der, type));
  TrustedKey info;
  info.kid.assign(kid.begin(), kid.end());
  info.subject = label.empty() ? "public key" : std::move(label);
  info.key_type = std::move(type);
  impl_->entries.push_back(Impl::Entry{std::move(info), std::move(key)});
  return {};
}

void TrustStore::revoke_kid(std::span<const std::uint8_t> kid) {
  impl_->revoked_kids.emplace(kid.begin(), kid.end());
}
namespace {
// Document numbers are compared ignoring ASCII case: the MRZ prints them in capitals whatever
// the record said, and a revocation must not fail open because an officer typed what they read.
std::string fold_case(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}
}  // namespace

void TrustStore::revoke_document(std::string document_number) {
  impl_->revoked_documents.insert(fold_case(document_number));
}

std::vector<TrustedKey> TrustStore::find(std::span<const std::uint8_t> kid) const {
  std::vector<TrustedKey> out;
  for (const auto& e : impl_->entries)
    if (std::equal(e.info.kid.begin(), e.info.kid.end(), kid.begin(), kid.end())) out.push_back(e.info);
  return out;
}

bool TrustStore::is_revoked_kid(std::span<const std::uint8_t> kid) const {
  return impl_->revoked_kids.count(std::vector<std::uint8_t>(kid.begin(), kid.end())) != 0;
}
bool TrustStore::is_revoked_document(std::string_view document_number) const {
  return !document_number.empty() && impl_->revoked_documents.count(fold_case(document_number)) != 0;
}
std::size_t TrustStore::size() const noexcept {
  return impl_->entries.size();
}

namespace {
Result<std::string> read_text(const std::filesystem::path& path) {
  return detail::read_input_file(path, 16u << 20, "trust file");
}
}  // namespace

Result<TrustStore> TrustStore::load_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Error(Errc::io, "not a directory", "give the folder holding the trusted signer certificates (*.pem)",
                 Where{.file = dir.string()});
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    auto ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".pem" || ext == ".crt" || ext == ".cer" || ext == ".der") files.push_back(entry.path());
    // A misnamed revocation list ("revoked.JSON", "revocations.json") would be skipped in silence
    // and revoke nothing: only revoked.json is read, so any other JSON file is an error.
    if (ext == ".json" && entry.path().filename() != "revoked.json")
      return Error(Errc::bad_key, "a JSON file in a trust folder that is not revoked.json, so it would be ignored",
                   "name the revocation list exactly revoked.json, or move the file out of the trust folder",
                   Where{.file = entry.path().string()});
  }
  if (ec) return Error(Errc::io, "cannot list: " + ec.message(), "check the permissions", Where{.file = dir.string()});
  std::sort(files.begin(), files.end());  // deterministic order
  TrustStore store;
  for (const auto& f : files) {
    // key.pem beside cert.pem (a keygen folder) is skipped: only certificates are trusted.
    if (f.filename() == "key.pem") continue;
    SDC_TRY_ASSIGN(auto text, read_text(f));
    auto s = store.add_certificate(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    if (!s) return std::move(s).error().in_file(f.string());
  }
  const auto revoked = dir / "revoked.json";
  if (std::filesystem::exists(revoked, ec)) {
    SDC_TRY_ASSIGN(auto text, read_text(revoked));
    SDC_TRY(detail::load_trust_json(text, revoked.string(), detail::TrustJson::revocations, store));
  }
  if (store.size() == 0)
    return Error(Errc::bad_key, "no certificate (*.pem, *.crt, *.cer, *.der) in the trust directory",
                 "copy the issuer's cert.pem into it", Where{.file = dir.string()});
  return store;
}

Result<TrustStore> TrustStore::load_json(const std::filesystem::path& file) {
  SDC_TRY_ASSIGN(auto text, read_text(file));
  TrustStore store;
  SDC_TRY(detail::load_trust_json(text, file.string(), detail::TrustJson::trust_list, store));
  return store;
}

}  // namespace sdc
