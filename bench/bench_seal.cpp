// Seal signing and verification per second, next to OpenSSL's own sign/verify of the same bytes
// in the same run (the lower bound: the seal layer's cost is the difference), over the 13 specimen
// records. The build machine is shared and noisy: interleave repetitions and compare medians.
//
//   build/bench/bench_seal --benchmark_filter='seal|openssl|part' --benchmark_min_time=0.5
//     --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true
//     --benchmark_report_aggregates_only=true   (one command line)
#include <sdc/qr.hpp>
#include <sdc/record.hpp>
#include <sdc/seal.hpp>

#include "seal/seal_detail.hpp"

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const std::string kKeys = std::string(SDC_SOURCE_DIR) + "/assets/keys/";
const std::int64_t kNow = 1800000000;  // 2027-01-15

// The 13 specimen records (eight scripts), each with a photo hash and pattern id as compose would
// seal them. Every benchmark walks them round-robin, so the figures are an average over real
// records, not over one hand-picked payload.
std::vector<sdc::SealPayload> payloads() {
  auto records = sdc::load_records(std::string(SDC_SOURCE_DIR) + "/assets/records/specimen.csv");
  if (!records) throw std::runtime_error(records.error().to_string());
  std::vector<sdc::SealPayload> out;
  std::uint8_t h = 0x94;
  for (const auto& r : *records) {
    auto p = sdc::seal_payload_from_record(r, "XXA", "3f9a0c12b7e45d60");
    for (int i = 0; i < 8; ++i) p.photo_hash.push_back(h = static_cast<std::uint8_t>(h * 29 + 7));
    out.push_back(std::move(p));
  }
  return out;
}

struct Fixture {
  std::shared_ptr<const sdc::Signer> signer;
  sdc::TrustStore trust;
  EVP_PKEY* pkey = nullptr;                    // the same private key, for the raw OpenSSL baseline
  std::vector<sdc::SealPayload> records;       // what the seal layer signs
  std::vector<std::vector<std::uint8_t>> tbs;  // the Sig_structure of each, what OpenSSL signs
  std::vector<std::vector<std::uint8_t>> der;  // an OpenSSL-form signature over each tbs
  std::vector<std::string> seals;
  bool ecdsa = false;

  explicit Fixture(const std::string& alg) : records(payloads()), ecdsa(alg == "es256") {
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
    const auto prot = sdc::detail::cose_protected_header(sdc::cose_algorithm(signer->algorithm()), signer->key_id());
    for (const auto& p : records) {
      auto cbor = sdc::encode_seal_payload(p);
      tbs.push_back(sdc::detail::cose_sig_structure(prot, {}, *cbor));
      der.push_back(raw_sign(tbs.back()));
      seals.push_back(*sdc::make_seal(p, *signer));
    }
  }
  ~Fixture() { EVP_PKEY_free(pkey); }

  std::vector<std::uint8_t> raw_sign(const std::vector<std::uint8_t>& data) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, ecdsa ? EVP_sha256() : nullptr, nullptr, pkey);
    EVP_DigestSign(ctx, nullptr, &len, data.data(), data.size());
    std::vector<std::uint8_t> sig(len);
    EVP_DigestSign(ctx, sig.data(), &len, data.data(), data.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    return sig;
  }
  bool raw_verify(std::size_t i) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, ecdsa ? EVP_sha256() : nullptr, nullptr, pkey);
    const bool ok = EVP_DigestVerify(ctx, der[i].data(), der[i].size(), tbs[i].data(), tbs[i].size()) == 1;
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
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(f.raw_sign(f.tbs[i++ % f.tbs.size()]));
  state.SetItemsProcessed(state.iterations());
}
void seal_sign(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdc::make_seal(f.records[i++ % f.records.size()], *f.signer));
  state.SetItemsProcessed(state.iterations());
}
void openssl_verify(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  std::size_t i = 0;
  for (auto _ : state)
    if (!f.raw_verify(i++ % f.tbs.size())) state.SkipWithError("OpenSSL verify failed");
  state.SetItemsProcessed(state.iterations());
}
void seal_verify(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  std::size_t i = 0;
  for (auto _ : state)
    if (!sdc::verify_seal(f.seals[i++ % f.seals.size()], f.trust, kNow).valid())
      state.SkipWithError("seal did not verify");
  state.SetItemsProcessed(state.iterations());
}
// The seal layer alone: make_seal with a signer that returns, at the cost of a copy, one of 257
// random 64-byte strings made in advance. A real signature is as random (ES256's differ on every
// call), and 257 is prime to the 13 records, so no two calls in 3341 seal the same message and
// branch predictors cannot learn them. The time is everything sealing adds on top of the
// signature: compare it with openssl/sign.
class PoolSigner final : public sdc::Signer {
 public:
  explicit PoolSigner(const sdc::Signer& real) : alg_(real.algorithm()), kid_(real.key_id()) {
    std::mt19937_64 rng(257);
    for (auto& sig : pool_) {
      sig.resize(64);
      for (auto& b : sig) b = static_cast<std::uint8_t>(rng());
    }
  }
  sdc::SignatureAlg algorithm() const noexcept override { return alg_; }
  std::vector<std::uint8_t> key_id() const override { return kid_; }
  sdc::Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t>) const override {
    return pool_[next_++ % pool_.size()];
  }

 private:
  sdc::SignatureAlg alg_;
  std::vector<std::uint8_t> kid_;
  std::array<std::vector<std::uint8_t>, 257> pool_;
  mutable std::size_t next_ = 0;
};
void seal_layer(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  const PoolSigner signer(*f.signer);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdc::make_seal(f.records[i++ % f.records.size()], signer));
  state.SetItemsProcessed(state.iterations());
}
// sdc's OpenSSL signer alone (the raw r||s conversion included), on the same bytes as openssl/sign.
void signer_only(benchmark::State& state, const std::string& alg) {
  auto& f = fixture(alg);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(f.signer->sign(f.tbs[i++ % f.tbs.size()]));
  state.SetItemsProcessed(state.iterations());
}
// The seal into its QR matrix and laid out at a dpi (what the renderer does per card).
void qr_layout(benchmark::State& state) {
  const std::string seal = fixture("ed25519").seals.front();
  const sdc::Dpi dpi{static_cast<int>(state.range(0))};
  for (auto _ : state) {
    auto m = sdc::encode_qr(seal);
    benchmark::DoNotOptimize(sdc::layout_qr(*m, sdc::Mm{22}, dpi));
  }
  state.SetItemsProcessed(state.iterations());
}
// Parts of sealing, per specimen record (Sig_structures, the size of the COSE messages): the
// deflate estimate against the deflate trial it usually saves, the payload CBOR, Base45.
void deflate_estimate(benchmark::State& state) {
  auto& f = fixture("ed25519");
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdc::detail::deflate_might_shrink(f.tbs[i++ % f.tbs.size()]));
  state.SetItemsProcessed(state.iterations());
}
void deflate_trial(benchmark::State& state) {
  auto& f = fixture("ed25519");
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdc::detail::zlib_compress(f.tbs[i++ % f.tbs.size()]));
  state.SetItemsProcessed(state.iterations());
}
void ecdsa_der_to_raw(benchmark::State& state) {
  auto& f = fixture("es256");
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdc::detail::ecdsa_der_to_raw(f.der[i++ % f.der.size()], 32));
  state.SetItemsProcessed(state.iterations());
}
void base45(benchmark::State& state) {
  auto& f = fixture("ed25519");
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdc::base45_encode(f.tbs[i++ % f.tbs.size()]));
  state.SetItemsProcessed(state.iterations());
}
void payload_cbor(benchmark::State& state) {
  auto& f = fixture("ed25519");
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdc::encode_seal_payload(f.records[i++ % f.records.size()]));
  state.SetItemsProcessed(state.iterations());
}

const bool registered = [] {
  for (const std::string alg : {"es256", "ed25519"}) {
    benchmark::RegisterBenchmark(("openssl/sign/" + alg).c_str(), openssl_sign, alg);
    benchmark::RegisterBenchmark(("seal/sign/" + alg).c_str(), seal_sign, alg);
    benchmark::RegisterBenchmark(("seal/layer_only/" + alg).c_str(), seal_layer, alg);
    benchmark::RegisterBenchmark(("seal/signer_only/" + alg).c_str(), signer_only, alg);
    benchmark::RegisterBenchmark(("openssl/verify/" + alg).c_str(), openssl_verify, alg);
    benchmark::RegisterBenchmark(("seal/verify/" + alg).c_str(), seal_verify, alg);
  }
  benchmark::RegisterBenchmark("qr/encode_layout", qr_layout)->Arg(300)->Arg(600);
  benchmark::RegisterBenchmark("part/deflate_estimate", deflate_estimate);
  benchmark::RegisterBenchmark("part/deflate_trial", deflate_trial);
  benchmark::RegisterBenchmark("part/payload_cbor", payload_cbor);
  benchmark::RegisterBenchmark("part/base45", base45);
  benchmark::RegisterBenchmark("part/ecdsa_der_to_raw", ecdsa_der_to_raw);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
