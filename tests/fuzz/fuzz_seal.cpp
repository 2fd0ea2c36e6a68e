// Fuzz target: a seal text, verified against a fixed trust store (the specimen certificates):
// prefix -> Base45 -> zlib -> COSE_Sign1 -> signature -> CBOR payload. Texts starting with "HC1:"
// (EU DCC test data in the corpus) are read as DCC: that prefix, zlib required, CWT claims.
#include "fuzz/fuzz_support.hpp"

#include <sdc/seal.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sdc::VerifyOptions options;
  if (text.starts_with("HC1:")) {
    options.prefix = "HC1:";
    options.require_compression = true;
    options.payload_format = sdc::PayloadFormat::cwt;
  }
  const auto v = sdc::verify_seal(text, sdc::fuzz::trust_store(), sdc::fuzz::kNow, options);
  // Not a verdict about the seal: an exception escaped a parser (out_of_memory needs > 2 GB here).
  if (v.reason == sdc::SealReason::internal_error || v.reason == sdc::SealReason::out_of_memory) std::abort();
  return 0;
}
