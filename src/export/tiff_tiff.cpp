#include <tiffio.h>
#include <sdc/export.hpp>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <new>
#include <vector>

#include "core/atomic_file.hpp"
#include "export/tiff_stream.hpp"

namespace sdc::detail {

struct CmykTiffStream::Impl {
  TIFF* tif = nullptr;
  std::filesystem::path display;
  std::string message;  // libtiff's last error, collected per handle (thread-safe)
  int width = 0, height = 0, row = 0;
  int rows_per_strip = 0;
  bool uncompressed = false;
  // In-memory output (open_memory): the file image and the current offset, emulating a file so
  // that the bytes equal what libtiff writes to disk.
  std::vector<std::uint8_t>* memory = nullptr;
  std::uint64_t pos = 0;

  Error error(const std::string& what) const {
    return Error(Errc::io, what + (message.empty() ? std::string(".") : ": " + message + "."),
                 "check that the folder is writable and the disk has room.", Where{.file = display.string()});
  }
};

namespace {

int on_tiff_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  auto* impl = static_cast<CmykTiffStream::Impl*>(user);
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  impl->message = (module ? std::string(module) + ": " : std::string()) + buf;
  return 1;
}

int on_tiff_warning(TIFF*, void*, const char*, const char*, va_list) {
  return 1;  // silence: warnings about unknown tags are irrelevant when writing
}

CmykTiffStream::Impl& mem(thandle_t h) {
  return *static_cast<CmykTiffStream::Impl*>(h);
}

tmsize_t mem_read(thandle_t h, void* buf, tmsize_t size) {
  auto& m = mem(h);
  const auto n = static_cast<std::uint64_t>(size);
  const std::uint64_t have = m.pos < m.memory->size() ? m.memory->size() - m.pos : 0;
  const auto k = std::min(n, have);
  std::copy_n(m.memory->data() + m.pos, k, static_cast<std::uint8_t*>(buf));
  m.pos += k;
  return static_cast<tmsize_t>(k);
}

tmsize_t mem_write(thandle_t h, void* buf, tmsize_t size) {
  auto& m = mem(h);
  const auto n = static_cast<std::uint64_t>(size);
  auto& out = *m.memory;
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  try {
    if (m.pos > out.size()) out.resize(m.pos);  // a gap reads as zeros, as in a file
    // Overwrite what is there, append the rest: appending does not zero the bytes first, as a
    // resize would (every scanline of a card is appended; half a millisecond per 300 dpi card).
    const auto inside = std::min<std::uint64_t>(n, out.size() - m.pos);
    std::copy_n(bytes, inside, out.data() + m.pos);
    out.insert(out.end(), bytes + inside, bytes + n);
  } catch (const std::bad_alloc&) {
    return -1;
  }
  m.pos += n;
  return size;
}

toff_t mem_seek(thandle_t h, toff_t off, int whence) {
  auto& m = mem(h);
  std::uint64_t base = 0;
  if (whence == SEEK_CUR) base = m.pos;
  if (whence == SEEK_END) base = m.memory->size();
  m.pos = base + off;
  return m.pos;
}

int mem_close(thandle_t) {
  return 0;
}

toff_t mem_size(thandle_t h) {
  return mem(h).memory->size();
}

int mem_map(thandle_t, void**, toff_t*) {
  return 0;
}

void mem_unmap(thandle_t, void*, toff_t) {}

}  // namespace

Result<std::unique_ptr<CmykTiffStream>> CmykTiffStream::open_memory(std::vector<std::uint8_t>& out) {
  std::unique_ptr<CmykTiffStream> s(new CmykTiffStream());
  s->impl_ = std::make_unique<Impl>();
  s->impl_->memory = &out;
  out.clear();
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(opts, on_tiff_error, s->impl_.get());
  TIFFOpenOptionsSetWarningHandlerExtR(opts, on_tiff_warning, nullptr);
  s->impl_->tif = TIFFClientOpenExt("memory", "w", s->impl_.get(), mem_read, mem_write, mem_seek, mem_close, mem_size,
                                    mem_map, mem_unmap, opts);
  TIFFOpenOptionsFree(opts);
  if (!s->impl_->tif) return s->impl_->error("libtiff cannot start a TIFF in memory");
  return s;
}

Result<std::unique_ptr<CmykTiffStream>> CmykTiffStream::open(const std::filesystem::path& file,
                                                             const std::filesystem::path& display) {
  std::unique_ptr<CmykTiffStream> s(new CmykTiffStream());
  s->impl_ = std::make_unique<Impl>();
  s->impl_->display = display;
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(opts, on_tiff_error, s->impl_.get());
  TIFFOpenOptionsSetWarningHandlerExtR(opts, on_tiff_warning, nullptr);
  s->impl_->tif = TIFFOpenExt(file.c_str(), "w", opts);
  TIFFOpenOptionsFree(opts);
  if (!s->impl_->tif) return s->impl_->error("libtiff cannot create the file");
  return s;
}

CmykTiffStream::~CmykTiffStream() {
  if (impl_ && impl_->tif) TIFFClose(impl_->tif);
}

Status CmykTiffStream::begin_page(int width, int height, const CmykTiffOptions& o, int index, int count,
                                  const std::string& name) {
  TIFF* t = impl_->tif;
  impl_->width = width, impl_->height = height, impl_->row = 0;
  impl_->rows_per_strip = std::clamp(o.rows_per_strip, 1, 65536);
  impl_->uncompressed = o.compression == TiffCompression::none;
  TIFFSetField(t, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(width));
  TIFFSetField(t, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(height));
  TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 4);
  TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_SEPARATED);
  TIFFSetField(t, TIFFTAG_INKSET, INKSET_CMYK);
  TIFFSetField(t, TIFFTAG_NUMBEROFINKS, 4);
  TIFFSetField(t, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
  TIFFSetField(t, TIFFTAG_COMPRESSION,
               o.compression == TiffCompression::deflate ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_NONE);
  if (o.compression == TiffCompression::deflate) TIFFSetField(t, TIFFTAG_ZIPQUALITY, 6);
  TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, static_cast<std::uint32_t>(impl_->rows_per_strip));
  if (o.dpi.v > 0) {
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(t, TIFFTAG_XRESOLUTION, static_cast<float>(o.dpi.v));
    TIFFSetField(t, TIFFTAG_YRESOLUTION, static_cast<float>(o.dpi.v));
  }
  if (!o.icc_profile.empty())
    TIFFSetField(t, TIFFTAG_ICCPROFILE, static_cast<std::uint32_t>(o.icc_profile.size()), o.icc_profile.data());
  if (count > 1) {
    TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(t, TIFFTAG_PAGENUMBER, static_cast<std::uint16_t>(index), static_cast<std::uint16_t>(count));
  }
  if (!name.empty()) TIFFSetField(t, TIFFTAG_PAGENAME, name.c_str());
  TIFFSetField(t, TIFFTAG_SOFTWARE, "sdc");
  return {};
}

Status CmykTiffStream::write_row(const std::uint8_t* row) {
  if (impl_->row >= impl_->height)
    return Error(Errc::internal, "more TIFF rows than the page has.", "report this bug.");
  // libtiff's API takes a non-const buffer but does not modify it for 8-bit data without a predictor.
  if (TIFFWriteScanline(impl_->tif, const_cast<std::uint8_t*>(row), static_cast<std::uint32_t>(impl_->row), 0) != 1)
    return impl_->error("libtiff cannot write row " + std::to_string(impl_->row));
  ++impl_->row;
  return {};
}

Status CmykTiffStream::write_rows(const ImageView& page) {
  if (impl_->row != 0 || page.width() != impl_->width || page.height() != impl_->height ||
      page.format() != PixelFormat::cmyk8)
    return Error(Errc::internal, "the TIFF page does not match the rows given.", "report this bug.");
  const auto row_bytes = static_cast<std::size_t>(impl_->width) * 4;
  // Packed rows: each strip's rows lie in one run of memory.
  const bool packed = page.height() < 2 || page.row(1) - page.row(0) == static_cast<std::ptrdiff_t>(row_bytes);
  if (!impl_->uncompressed || !packed) {
    for (int y = 0; y < page.height(); ++y) SDC_TRY(write_row(page.row(y)));
    return {};
  }
  // Uncompressed, libtiff appends a whole strip to the file as given (its scanlines are copied
  // into its own buffer first): the bytes of write_row, one copy fewer.
  for (int y = 0, strip = 0; y < page.height(); y += impl_->rows_per_strip, ++strip) {
    const int rows = std::min(impl_->rows_per_strip, page.height() - y);
    const auto size = static_cast<tmsize_t>(row_bytes * static_cast<std::size_t>(rows));
    // libtiff's API takes a non-const buffer; it does not modify 8-bit data written uncompressed.
    if (TIFFWriteEncodedStrip(impl_->tif, static_cast<std::uint32_t>(strip), const_cast<std::uint8_t*>(page.row(y)),
                              size) != size)
      return impl_->error("libtiff cannot write rows " + std::to_string(y) + " to " + std::to_string(y + rows - 1));
    impl_->row += rows;
  }
  return {};
}

Status CmykTiffStream::end_page() {
  if (impl_->row != impl_->height) return Error(Errc::internal, "the TIFF page is missing rows.", "report this bug.");
  if (!TIFFWriteDirectory(impl_->tif)) return impl_->error("libtiff cannot finish the page");
  return {};
}

Status CmykTiffStream::close() {
  TIFF* t = impl_->tif;
  impl_->tif = nullptr;
  // TIFFClose flushes; errors during the flush arrive through the handler.
  impl_->message.clear();
  TIFFClose(t);
  if (!impl_->message.empty()) return impl_->error("libtiff cannot finish the file");
  return {};
}

}  // namespace sdc::detail

namespace sdc {

namespace detail {

Status encode_cmyk_tiff_into(std::span<const ImageView> pages, const CmykTiffOptions& options,
                             std::vector<std::uint8_t>& out) {
  if (pages.empty()) return Error(Errc::invalid_argument, "no pages to write.", "pass one image per side.");
  for (const auto& p : pages)
    if (p.empty() || p.format() != PixelFormat::cmyk8)
      return Error(Errc::invalid_argument, "a CMYK TIFF page must be a non-empty cmyk8 image.",
                   "separate the planes first (sdc::separate).");
  if (options.compression == TiffCompression::none) {
    // The file is the pixels plus a few kB of tags per page: room for it at once, so that the
    // buffer does not grow (and copy itself) while libtiff writes.
    std::size_t size = 0;
    for (const auto& p : pages)
      size += static_cast<std::size_t>(p.width()) * static_cast<std::size_t>(p.height()) * 4 +
              options.icc_profile.size() + 16 * static_cast<std::size_t>(p.height()) + 4096;
    try {
      out.reserve(size);
    } catch (const std::bad_alloc&) {  // then the buffer grows as it is written, or fails there
    }
  }
  SDC_TRY_ASSIGN(auto s, CmykTiffStream::open_memory(out));
  auto& st = *s;
  const int n = static_cast<int>(pages.size());
  for (int i = 0; i < n; ++i) {
    const ImageView& p = pages[static_cast<std::size_t>(i)];
    const std::string name =
        static_cast<std::size_t>(i) < options.page_names.size() ? options.page_names[static_cast<std::size_t>(i)] : "";
    SDC_TRY(st.begin_page(p.width(), p.height(), options, i, n, name));
    SDC_TRY(st.write_rows(p));
    SDC_TRY(st.end_page());
  }
  SDC_TRY(st.close());
  return {};
}

}  // namespace detail

Result<std::vector<std::uint8_t>> encode_cmyk_tiff(std::span<const ImageView> pages, const CmykTiffOptions& options) {
  std::vector<std::uint8_t> out;
  SDC_TRY(detail::encode_cmyk_tiff_into(pages, options, out));
  return out;
}

Status write_cmyk_tiff(std::span<const ImageView> pages, const std::filesystem::path& path,
                       const CmykTiffOptions& options) {
  auto bytes = encode_cmyk_tiff(pages, options);
  if (!bytes) {
    Error e = std::move(bytes).error();
    return std::move(e.in_file(path.string()));
  }
  return write_file_atomic(path, *bytes);
}

}  // namespace sdc
