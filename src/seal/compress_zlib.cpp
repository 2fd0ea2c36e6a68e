// zlib for the seal transport: the only seal file that includes zlib.
#include "seal/seal_detail.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <new>
#include <vector>

namespace sdc::detail {

namespace {

// One deflate stream per thread, initialised once and reset per trial, so that a trial does not
// allocate and free the stream's 130 KiB of state. deflateReset gives the same bytes as a fresh
// stream, so the output stays deterministic.
struct Deflater {
  z_stream zs{};
  bool ok = false;
  Deflater() {
    // windowBits 15 keeps the header byte 0x78 that readers look for. memLevel 3 buffers 511
    // symbols, so a seal is always one deflate block (deflate_might_shrink relies on that), and
    // its 2 KiB hash table is cheap to clear on every reset (memLevel 8 clears 64 KiB).
    ok = deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15, 3, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ok) deflateEnd(&zs);
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
};

// The largest message deflate_might_shrink judges: zlib at memLevel 3 writes up to 511 symbols
// in one block. A seal within a version 12 QR code is at most 276 bytes.
constexpr std::size_t kEstimateMax = 511;

// c * log2(c) in 1/65536 bit, for c up to kEstimateMax: integers, so that the decision below
// is the same on every machine (log2 is computed once, and a rounding tie cannot occur for the
// irrational values involved).
const std::array<std::int32_t, kEstimateMax + 1>& c_log2_c() {
  static const auto table = [] {
    std::array<std::int32_t, kEstimateMax + 1> t{};  // 511 log2 511 * 65536 < 2^29
    for (std::size_t i = 2; i < t.size(); ++i)
      t[i] =
          static_cast<std::int32_t>(std::lround(static_cast<double>(i) * std::log2(static_cast<double>(i)) * 65536.0));
    return t;
  }();
  return table;
}

}  // namespace

bool deflate_might_shrink(std::span<const std::uint8_t> data) {
  const std::size_t n = data.size();
  if (n <= 6) return false;           // the zlib header and Adler-32 alone take 6 bytes
  if (n > kEstimateMax) return true;  // beyond one block of ours: just try
  // Positions no match can cover: a deflate match copies at least 3 bytes that occurred earlier,
  // so a byte is coverable only inside a 3-byte string seen before. A Bloom filter (16384 bits,
  // two hashes) records the strings seen, without branches (signature bytes are random, so
  // branches on them would be mispredicted). A false hit, about 0.2 per 250-byte seal, marks up to
  // 3 more bytes coverable, which only lowers the bound: deflate is then tried, never wrongly
  // skipped. The hit for the string at k covers bytes k..k+2, so byte k is coverable when the
  // strings at k, k-1 or k-2 were seen before. Counts of the bytes that must be literals, and which
  // byte values occur at all, are taken in the same pass.
  std::array<std::uint64_t, 256> seen{};
  std::array<std::uint32_t, 256> literals{};
  std::array<std::uint8_t, 256> present{};
  std::uint32_t hit1 = 0, hit2 = 0;  // hits of the strings at k-1 and k-2
  for (std::size_t k = 0; k < n; ++k) {
    std::uint32_t hit = 0;
    if (k + 2 < n) {
      const std::uint32_t v = data[k] | std::uint32_t{data[k + 1]} << 8 | std::uint32_t{data[k + 2]} << 16;
      const std::uint32_t h1 = (v * 2654435761u) >> 18, h2 = (v * 0x85EBCA6Bu) >> 18;
      hit = static_cast<std::uint32_t>((seen[h1 >> 6] >> (h1 & 63)) & (seen[h2 >> 6] >> (h2 & 63)) & 1);
      seen[h1 >> 6] |= std::uint64_t{1} << (h1 & 63);
      seen[h2 >> 6] |= std::uint64_t{1} << (h2 & 63);
    }
    present[data[k]] = 1;
    literals[data[k]] += 1u - (hit | hit1 | hit2);
    hit2 = hit1;
    hit1 = hit;
  }
  std::size_t values = 0, n_literals = 0;
  const auto& clogc = c_log2_c();
  std::int64_t sum_c_log2_c = 0;
  std::array<std::uint64_t, 4> used{};  // literal values, as a bit set
  for (std::size_t w = 0; w < 4; ++w) {
    std::uint64_t mask = 0;  // in a register, not read-modify-written in memory
    for (std::size_t j = 0; j < 64; ++j) {
      const std::uint32_t c = literals[w * 64 + j];
      values += present[w * 64 + j];
      n_literals += c;
      sum_c_log2_c += clogc[c];
      mask |= std::uint64_t{c != 0} << j;
    }
    used[w] = mask;
  }
  // Lower bounds in bits, for the one block zlib writes (a seal is one block, see Deflater).
  // Dynamic block: 3-bit block head, 14 bits of counts, at least 4 code-length codes of 3 bits, a
  // bit each for end-of-block and one distance code; half a bit or more per used literal's code
  // length (a repeat code covers up to 6 in 3 bits), min(g, 3) bits or more per run of g unused
  // byte values; and the literals, which no prefix code (Kraft) takes fewer bits for than their
  // entropy, n log2 n - sum c log2 c. Fixed block: 8 bits or more per literal. A stored block is
  // n + 5 bytes: never smaller.
  const std::int64_t entropy = clogc[n_literals] - sum_c_log2_c;  // 1/65536 bit
  // The runs of unused values, on the value masks without a loop over the used ones: value b
  // costs min(g, 3) for the g unused values just below it, which is how many of b-1, b-2, b-3
  // are unused in a row. Value 256 (end-of-block) is always used; values below 0 count as used.
  const std::array<std::uint64_t, 5> u{used[0], used[1], used[2], used[3], 1},
      z{~used[0], ~used[1], ~used[2], ~used[3], 0};
  auto shifted = [&z](int s, std::size_t w) { return w ? z[w] << s | z[w - 1] >> (64 - s) : z[w] << s; };
  std::uint64_t table_half_bits = 2 * (3 + 14 + 12 + 2);
  for (std::size_t w = 0; w < 5; ++w) {
    const std::uint64_t below1 = shifted(1, w), below2 = below1 & shifted(2, w), below3 = below2 & shifted(3, w);
    table_half_bits += 2 * static_cast<std::uint64_t>(std::popcount(u[w] & below1) + std::popcount(u[w] & below2) +
                                                      std::popcount(u[w] & below3));
    if (w < 4) table_half_bits += static_cast<std::uint64_t>(std::popcount(u[w]));  // half a bit per used value
  }
  const std::int64_t dyn = static_cast<std::int64_t>(table_half_bits) * 32768 + entropy;
  const std::int64_t fixed = (3 + 8 * static_cast<std::int64_t>(n_literals) + 7) * 65536;
  const std::int64_t bits = std::min(dyn, fixed);
  const std::size_t bound = 6 + static_cast<std::size_t>((bits + 8 * 65536 - 1) / (8 * 65536));  // bytes
  // The bound leaves out most of what a dynamic block's code tables really cost (4 to 5 bits per
  // byte value used); allowing 2 bits per value makes it a tight predictor, though no longer a
  // proof. Deflate is tried when it might save 2 bytes or more: a 6 µs trial for one byte is not
  // worth it. Over 64 000 generated seal messages in eight scripts this skipped 2 that deflate
  // would have shrunk, by 1 byte each (tests/seal/compress_test.cpp); a skip can never cost more
  // than values/4 + 1 bytes, and make_seal still tries deflate when the raw seal is too long.
  return bound + values / 4 + 1 < n;
}

std::vector<std::uint8_t> zlib_compress(std::span<const std::uint8_t> data) {
  static thread_local Deflater d;
  if (!d.ok || deflateReset(&d.zs) != Z_OK) throw std::bad_alloc();
  std::vector<std::uint8_t> out(deflateBound(&d.zs, static_cast<uLong>(data.size())));
  d.zs.next_in = const_cast<Bytef*>(data.data());
  d.zs.avail_in = static_cast<uInt>(data.size());
  d.zs.next_out = out.data();
  d.zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&d.zs, Z_FINISH);
  out.resize(d.zs.total_out);
  if (rc != Z_STREAM_END) throw std::bad_alloc();  // cannot happen with a deflateBound-sized buffer
  return out;
}

InflateStatus zlib_inflate(std::span<const std::uint8_t> data, std::size_t max_out, std::vector<std::uint8_t>& out,
                           std::string& message) {
  out.clear();
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) throw std::bad_alloc();
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), std::numeric_limits<uInt>::max()));
  // Inflate in chunks and stop as soon as the output passes the cap: a zip bomb costs at most
  // max_out + one chunk of memory.
  std::uint8_t chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = chunk;
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_out) {
      inflateEnd(&zs);
      message = "the zlib data inflates to more than " + std::to_string(max_out) + " bytes; refused";
      return InflateStatus::too_large;
    }
    out.insert(out.end(), chunk, chunk + produced);
    if (rc == Z_BUF_ERROR) {
      if (zs.avail_in == 0 || produced == 0) break;  // input ended before the stream did
      rc = Z_OK;
    }
  }
  const bool consumed_all = zs.avail_in == 0;
  const std::string why = zs.msg ? zs.msg : "bad data";
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    message = rc == Z_BUF_ERROR ? "the zlib stream is truncated" : "the zlib stream is corrupt (" + why + ")";
    return InflateStatus::corrupt;
  }
  if (!consumed_all) {
    message = "bytes follow the end of the zlib stream";
    return InflateStatus::corrupt;
  }
  return InflateStatus::ok;
}

}  // namespace sdc::detail
