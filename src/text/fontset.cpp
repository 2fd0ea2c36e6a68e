// FontSet: loading, lookup by family or file name, and the fallback order.
#include <sdc/text.hpp>

#include "text/font_impl.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <stdexcept>
#include <system_error>
#include "core/read_file.hpp"

namespace sdc {

FontSet::Impl::~Impl() {
  for (auto& f : faces) {
    detail::hb_release_font(f.hb);
    detail::cairo_release_face(f.cairo);
  }
}

namespace detail {

std::string font_key(std::string_view name) {
  std::string k;
  k.reserve(name.size());
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') {
      k += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      k += ch;
    }
  }
  return k;
}

}  // namespace detail

namespace {

bool is_font_file(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext == ".ttf" || ext == ".otf" || ext == ".ttc";
}

Result<std::vector<unsigned char>> read_file(const std::filesystem::path& file) {
  SDC_TRY_ASSIGN(auto bytes, detail::read_input_bytes(file, 64u << 20, "font file"));
  return std::vector<unsigned char>(bytes.begin(), bytes.end());
}

// Fallback order for primary p: p; the other weights of its family; families that extend its name
// ("Noto Sans" -> "Noto Sans Arabic"); everything else. Within each group the same boldness first,
// then the set's order.
std::vector<std::uint16_t> make_chain(const FontSet::Impl& impl, std::uint16_t p) {
  const auto& pf = impl.faces[p];
  auto rank = [&](std::uint16_t i) {
    const auto& f = impl.faces[i];
    int group = 2;
    if (f.family_key == pf.family_key) {
      group = 0;
    } else if (f.family_key.size() > pf.family_key.size() &&
               f.family_key.compare(0, pf.family_key.size(), pf.family_key) == 0) {
      group = 1;
    }
    return std::make_tuple(group, f.info.bold == pf.info.bold ? 0 : 1, i);
  };
  std::vector<std::uint16_t> chain;
  for (std::size_t i = 0; i < impl.faces.size(); ++i)
    if (i != p) chain.push_back(static_cast<std::uint16_t>(i));
  std::sort(chain.begin(), chain.end(), [&](std::uint16_t a, std::uint16_t b) { return rank(a) < rank(b); });
  chain.insert(chain.begin(), p);
  return chain;
}

}  // namespace

namespace {

// One font file's bytes under the name that stands for it (a path, or the caller's name).
struct NamedBytes {
  std::filesystem::path file;
  std::vector<unsigned char> bytes;
};

Result<std::shared_ptr<const FontSet::Impl>> make_font_set(std::vector<NamedBytes> fonts);

}  // namespace

Result<FontSet> FontSet::load_files(const std::vector<std::filesystem::path>& files) {
  if (files.empty()) {
    return Error(Errc::invalid_argument, "no font files given",
                 "Pass at least one .ttf/.otf file, or use FontSet::load(dir)");
  }
  std::vector<NamedBytes> fonts;
  for (const auto& file : files) {
    SDC_TRY_ASSIGN(auto bytes, read_file(file));
    fonts.push_back({file, std::move(bytes)});
  }
  SDC_TRY_ASSIGN(auto impl, make_font_set(std::move(fonts)));
  return FontSet(std::move(impl));
}

Result<FontSet> FontSet::from_memory(std::vector<FontData> fonts) {
  if (fonts.empty())
    return Error(Errc::invalid_argument, "no fonts given", "Pass at least one TrueType/OpenType font's bytes");
  std::vector<NamedBytes> named;
  for (auto& f : fonts) {
    if (f.name.empty())
      return Error(Errc::invalid_argument, "a font without a name", "Name every font (\"NotoSans-Regular.ttf\")");
    named.push_back({f.name, std::vector<unsigned char>(f.bytes.begin(), f.bytes.end())});
    f.bytes.clear();
  }
  SDC_TRY_ASSIGN(auto impl, make_font_set(std::move(named)));
  return FontSet(std::move(impl));
}

namespace {

Result<std::shared_ptr<const FontSet::Impl>> make_font_set(std::vector<NamedBytes> fonts) {
  auto impl = std::make_shared<FontSet::Impl>();
  for (auto& [file, bytes] : fonts) {
    SDC_TRY_ASSIGN(auto desc, detail::describe_font_file(bytes, file));
    auto shared = std::make_shared<const std::vector<unsigned char>>(std::move(bytes));
    for (std::size_t i = 0; i < desc.size(); ++i) {
      if (impl->faces.size() >= std::numeric_limits<std::uint16_t>::max()) {
        return Error(Errc::limit_exceeded, "more than 65535 font faces", "Use fewer fonts",
                     Where{.file = file.string()});
      }
      auto& d = (desc)[i];
      FontSet::Impl::Face f;
      f.info = FontInfo{.family = d.family,
                        .style = d.style,
                        .weight = d.weight,
                        .bold = d.bold,
                        .file = file,
                        .face_index = static_cast<int>(i),
                        .units_per_em = d.units_per_em};
      f.data = shared;
      f.family_key = detail::font_key(d.family);
      f.file_key = detail::font_key(file.stem().string());
      // Push first so the destructor releases whatever was created if a later step fails.
      impl->faces.push_back(std::move(f));
      auto& face = impl->faces.back();
      face.hb = detail::hb_make_font(shared, face.info.face_index);
      face.cairo = detail::cairo_make_face(shared, face.info.face_index);
      if (!face.hb || !face.cairo) {
        return Error(Errc::bad_font, "cannot load font " + file.filename().string() + " for shaping or drawing",
                     "Replace the file with a valid TrueType/OpenType font", Where{.file = file.string()});
      }
      detail::hb_line_metrics(face.hb, face.info.units_per_em, face.ascender, face.descender, face.line_gap);
    }
  }
  for (std::size_t p = 0; p < impl->faces.size(); ++p)
    impl->chains.push_back(make_chain(*impl, static_cast<std::uint16_t>(p)));
  return std::shared_ptr<const FontSet::Impl>(std::move(impl));
}

}  // namespace

Result<FontSet> FontSet::load(const std::filesystem::path& fonts_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(fonts_dir, ec)) {
    return Error(
        Errc::io, "font directory " + fonts_dir.string() + " does not exist or is not a directory",
        "Pass the directory that holds sdc's fonts (fonts/ in the source tree, share/sdc/fonts when installed)",
        Where{.file = fonts_dir.string()});
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(fonts_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_font_file(it->path()) && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    return Error(Errc::io, "cannot list font directory " + fonts_dir.string() + ": " + ec.message(),
                 "Check the directory's permissions", Where{.file = fonts_dir.string()});
  }
  if (files.empty()) {
    return Error(Errc::bad_font, "no font files (.ttf, .otf, .ttc) in " + fonts_dir.string(),
                 "Put the card's fonts in this directory, or pass the right directory",
                 Where{.file = fonts_dir.string()});
  }
  // Directory order is file-system dependent; file-name order makes font indices deterministic.
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
  return load_files(files);
}

std::size_t FontSet::size() const noexcept {
  return impl_ ? impl_->faces.size() : 0;
}

const FontInfo& FontSet::info(std::uint16_t index) const {
  if (!impl_ || index >= impl_->faces.size()) throw std::out_of_range("sdc::FontSet::info: font index out of range");
  return impl_->faces[index].info;
}

std::vector<std::string> FontSet::families() const {
  std::set<std::string> s;
  if (impl_)
    for (const auto& f : impl_->faces) s.insert(f.info.family);
  return {s.begin(), s.end()};
}

Result<std::uint16_t> FontSet::find(std::string_view family, bool bold) const {
  if (!impl_) {
    return Error(Errc::bad_font, "font family \"" + std::string(family) + "\" requested but the font set is empty",
                 "Load the fonts with FontSet::load(fonts_dir) before laying out text");
  }
  const std::string key = detail::font_key(family);
  const auto& faces = impl_->faces;
  const int target = bold ? 700 : 400;
  int best = -1;
  auto better = [&](std::size_t i) {
    if (best < 0) return true;
    const auto& a = faces[i].info;
    const auto& b = faces[static_cast<std::size_t>(best)].info;
    if ((a.bold == bold) != (b.bold == bold)) return a.bold == bold;
    return std::abs(a.weight - target) < std::abs(b.weight - target);
  };
  if (!key.empty()) {
    for (std::size_t i = 0; i < faces.size(); ++i)
      if (faces[i].family_key == key && better(i)) best = static_cast<int>(i);
    if (best >= 0) return static_cast<std::uint16_t>(best);
    // A file name, with or without extension: that exact face.
    for (std::size_t i = 0; i < faces.size(); ++i) {
      const auto& file = faces[i].info.file;
      if (faces[i].file_key == key || detail::font_key(file.filename().string()) == key)
        return static_cast<std::uint16_t>(i);
    }
  }
  std::string list;
  for (const auto& f : families()) list += (list.empty() ? "" : ", ") + f;
  return Error(Errc::bad_font, "font family \"" + std::string(family) + "\" is not in the font set; available: " + list,
               "Use one of the available families (or a font file name) in the template, or add the font file to "
               "the fonts directory");
}

}  // namespace sdc
