// Issuer profiles: code, name, signing key and certificate, and the secret pattern seed in a file
// of its own that only its owner may read.
#include <sdc/compose.hpp>
#include <sdc/pkcs11.hpp>
#include <sdc/seal.hpp>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/digest.hpp"
#include "json/json_reader.hpp"

namespace sdc {

namespace {

constexpr std::uintmax_t kMaxProfileBytes = 64 * 1024;

Error io_error(const std::filesystem::path& p, std::string message, std::string hint) {
  return Error(Errc::io, std::move(message), std::move(hint), Where{.file = p.string()});
}

/// A small regular file's bytes: refuses folders, FIFOs, devices and anything over `max`.
Result<std::string> read_small_file(const std::filesystem::path& p, std::uintmax_t max) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return io_error(p, "the file does not exist or cannot be read.", "check the path.");
  if (!S_ISREG(st.st_mode)) return io_error(p, "not a regular file.", "give the path of a file.");
  if (static_cast<std::uintmax_t>(st.st_size) > max)
    return io_error(
        p, "the file is " + std::to_string(st.st_size) + " bytes, over the limit of " + std::to_string(max) + ".",
        "check that this is the right file.");
  std::ifstream in(p, std::ios::binary);
  if (!in) return io_error(p, "cannot open the file.", "check its permissions.");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<std::uint8_t>> read_seed(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return Error(Errc::bad_key, "the pattern seed file can be read or written by others than its owner.",
                 "the seed is the issuer's secret: chmod 600 " + p.string() + ".", Where{.file = p.string()});
  SDC_TRY_ASSIGN(std::string text, read_small_file(p, 4096));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::vector<std::uint8_t> seed;
  if (!detail::from_hex(text, seed))
    return Error(Errc::bad_key, "the pattern seed file does not hold hexadecimal digits.",
                 "write the seed as one line of hex, e.g. from: openssl rand -hex 32.", Where{.file = p.string()});
  if (seed.size() < 16)
    return Error(Errc::bad_key,
                 "the pattern seed is " + std::to_string(seed.size()) + " bytes; at least 16 are needed.",
                 "make a new one: openssl rand -hex 32.", Where{.file = p.string()});
  return seed;
}

}  // namespace

namespace {

Result<Issuer> read_issuer(const std::filesystem::path& profile, bool with_signer, std::string_view passphrase) {
  try {
    SDC_TRY_ASSIGN(const std::string text, read_small_file(profile, kMaxProfileBytes));
    const std::string name = profile.string();
    SDC_TRY_ASSIGN(const nlohmann::json j, detail::parse_json_text(text, name));
    detail::JsonLines lines(text);
    detail::JsonReader r(j, "", name, lines);
    if (!j.is_object())
      return r.error("", "an issuer profile must be a JSON object.", "start the file with {\"sdc_issuer\": 1, ...}.");
    SDC_TRY(r.integer("sdc_issuer", 1, 1, std::nullopt));
    Issuer issuer;
    SDC_TRY_ASSIGN(issuer.code, r.string("code", std::nullopt));
    if (issuer.code.size() != 3 ||
        !std::all_of(issuer.code.begin(), issuer.code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return r.error("code", "'" + issuer.code + "' is not a three-letter issuer code.",
                     "write the ICAO-style code in capitals, e.g. \"XXA\".");
    SDC_TRY_ASSIGN(issuer.name, r.string("name", std::nullopt));
    SDC_TRY_ASSIGN(const std::string key, r.string("key", std::nullopt));
    SDC_TRY_ASSIGN(const std::string cert, r.string("cert", std::nullopt));
    SDC_TRY_ASSIGN(const std::string seed, r.string("pattern_seed_file", std::nullopt));
    SDC_TRY(r.check_unknown_keys());
    const auto base = profile.parent_path();
    auto at = [&](const std::string& rel) {
      std::filesystem::path p(rel);
      return p.is_relative() && !is_pkcs11_uri(rel) ? base / p : p;  // a token URI is not a file
    };
    if (with_signer) {
      SDC_TRY_ASSIGN(issuer.signer, load_signer(at(key), at(cert), passphrase));
    }
    SDC_TRY_ASSIGN(issuer.pattern_seed, read_seed(at(seed)));
    return issuer;
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory reading the issuer profile.", "",
                 Where{.file = profile.string()});
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("unexpected failure reading the issuer profile: ") + e.what(),
                 "report this as a bug.", Where{.file = profile.string()});
  }
}

}  // namespace

Result<Issuer> load_issuer(const std::filesystem::path& profile, std::string_view passphrase) {
  return read_issuer(profile, true, passphrase);
}

Result<Issuer> load_issuer_seed(const std::filesystem::path& profile) {
  return read_issuer(profile, false, {});
}

}  // namespace sdc
