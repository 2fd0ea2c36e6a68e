// Seal signing and verification per second, next to OpenSSL's own sign/verify of the same bytes
// in the same run (the lower bound: the seal layer's cost is the difference).
//
//   build/bench/bench_seal --benchmark_filter='seal|openssl' --benchmark_min_time=1
#include <sdc/qr.hpp>
#include <sdc/seal.hpp>

#include "seal/seal_detail.hpp"

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <memory>
#include <string>

namespace {

const std::string kKeys = std::string(SDC_SOURCE_DIR) + "/assets/keys/";
const std::int64_t kNow = 1800000000;  // 2027-01-15

sdc::SealPayload payload() {
  sdc::SealPayload p;
  p.issuer = "XXA";
  p.office = "Specimen City Field Office";
  p.document_number = "XA0000417";
  p.registration_number = "204518736";
  p.docket_number = "CR-2026-004217";
  p.surname = "Specimen-Example";
  p.given_names = "Alexandra Maria";
  p.date_of_birth = "1984-07-15";
  p.sex = "F";
  p.nationality = "XXA";
  p.issue_date = "2026-11-02";
  p.expiry_date = "2027-11-01";
  p.card_variant = "temporary";
  p.pattern_id = "3f9a0c12b7e45d60";
  p.photo_hash = {0x94, 0x6b, 0x31, 0xc6, 0x2d, 0x9a, 0x5e, 0x17};
  return p;
}

struct Fixture {
  std::shared_ptr<const sdc::Signer> signer;
  sdc::TrustStore trust;
  EVP_PKEY* pkey = nullptr;           // the same private key, for the raw OpenSSL baseline
  std::vector<std::uint8_t> tbs;      // the Sig_structure the seal signs
  std::vector<std::uint8_t> der_sig;  // an OpenSSL-form signature over tbs
  std::string seal;
  bool ecdsa = false;

  explicit Fixture(const std::string& alg) : ecdsa(alg == "es256") {
    const std::string dir = kKeys + "specimen-" + alg + "/";
    auto s = sdc::load_signer(dir + "key.pem", dir + "cert.pem");
    if (!s) throw std::runtime_error(s.error().to_string());
    signer = *s;
    auto t = sdc::TrustStore::load_dir(dir);
    if (!t) throw std::runtime_error(t.error().to_string());
    trust = std::move(*t);
    std::FILE* f = std::fopen((dir + "key.pem").c_str(), "rb");
    pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    auto cbor = sdc::encode_seal_payload(payload());
    const auto prot = sdc::detail::cose_protected_header(sdc::cose_algorithm(signer->algorithm()), signer->key_id());
    tbs = sdc::detail::cose_sig_structure(prot, {}, *cbor);
    der_sig = raw_sign();
    seal = *sdc::make_seal(payload(), *signer);
  }
  ~Fixture() { EVP_PKEY_free(pkey); }

  std::vector<std::uint8_t> raw_sign() const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, ecdsa ? EVP_sha256() : nullptr, nullptr, pkey);
    EVP_DigestSign(ctx, nullptr, &len, tbs.data(), tbs.size());
    std::vector<std::uint8_t> sig(len);
    EVP_DigestSign(ctx, sig.data(), &len, tbs.data(), tbs.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    return sig;
  }
  bool raw_verify() const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, ecdsa ? EVP_sha256() : nullptr, nullptr, pkey);
    const bool ok = EVP_DigestVerify(ctx, der_sig.data(), der_sig.size(), tbs.data(), tbs.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
  }
};

Fixture& fixture(const std::string& alg) {
  static Fixture es("es256"), ed("ed25519");
  return alg == "es256" ? es : ed;
}

void openssl_sign(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  for (auto _ : state) benchmark::DoNotOptimize(f.raw_sign());
  state.SetItemsProcessed(state.iterations());
}
void seal_sign(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  const auto p = payload();
  for (auto _ : state) benchmark::DoNotOptimize(sdc::make_seal(p, *f.signer));
  state.SetItemsProcessed(state.iterations());
}
void openssl_verify(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  for (auto _ : state)
    if (!f.raw_verify()) state.SkipWithError("OpenSSL verify failed");
  state.SetItemsProcessed(state.iterations());
}
void seal_verify(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  for (auto _ : state)
    if (!sdc::verify_seal(f.seal, f.trust, kNow).valid()) state.SkipWithError("seal did not verify");
  state.SetItemsProcessed(state.iterations());
}
// The seal into its QR matrix and laid out at a dpi (what the renderer does per card).
void qr_layout(benchmark::State& state) {
  const std::string seal = fixture("ed25519").seal;
  const sdc::Dpi dpi{static_cast<int>(state.range(0))};
  for (auto _ : state) {
    auto m = sdc::encode_qr(seal);
    benchmark::DoNotOptimize(sdc::layout_qr(*m, sdc::Mm{22}, dpi));
  }
  state.SetItemsProcessed(state.iterations());
}

const bool registered = [] {
  for (const std::string alg : {"es256", "ed25519"}) {
    benchmark::RegisterBenchmark(("openssl/sign/" + alg).c_str(), openssl_sign, alg);
    benchmark::RegisterBenchmark(("seal/sign/" + alg).c_str(), seal_sign, alg);
    benchmark::RegisterBenchmark(("openssl/verify/" + alg).c_str(), openssl_verify, alg);
    benchmark::RegisterBenchmark(("seal/verify/" + alg).c_str(), seal_verify, alg);
  }
  benchmark::RegisterBenchmark("qr/encode_layout", qr_layout)->Arg(300)->Arg(600);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
