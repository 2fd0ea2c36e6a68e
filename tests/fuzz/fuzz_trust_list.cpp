// Fuzz target: trust files (JSON) parsed from memory, both as a JSON trust list (certificates as
// PEM or base64 DER, revoked kids and documents) and as a trust folder's revoked.json.
#include "seal/seal_detail.hpp"

#include <sdc/seal.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto kind : {sdc::detail::TrustJson::trust_list, sdc::detail::TrustJson::revocations}) {
    sdc::TrustStore store;
    if (sdc::detail::load_trust_json(text, "fuzz-trust.json", kind, store)) (void)store.size();
  }
  return 0;
}
