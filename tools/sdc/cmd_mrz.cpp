// sdc mrz: the ICAO 9303 TD1 machine-readable zone of a record, as three lines.
#include <sdc/mrz.hpp>
#include <sdc/record.hpp>

#include <cstdio>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct MrzArgs {
  std::string record, state = "XXA", code = "I", transliteration = "expand", optional_1, optional_2;
  long index = 1;
};

int run_mrz(const MrzArgs& a) {
  const std::string cmd = "mrz";
  auto rec = load_record_at(a.record, a.index);
  if (!rec) return fail(cmd, rec.error());
  const MrzOptions opt{a.transliteration == "base" ? MrzTransliteration::base : MrzTransliteration::expand};
  auto data = mrz_data_from_record(*rec, a.state, a.code, opt);
  if (!data) return fail(cmd, data.error());
  data->optional_1 = a.optional_1;
  data->optional_2 = a.optional_2;
  auto lines = make_td1(*data, opt);
  if (!lines) {
    Error e = std::move(lines).error();
    return fail(cmd, e.at_record(a.index - 1).in_file(a.record));
  }
  for (const auto& l : *lines) std::printf("%s\n", l.c_str());
  return ok;
}

const Registrar reg{
    {"mrz", [](CLI::App& app) -> std::function<int()> {
       app.description("Print the ICAO 9303 TD1 machine-readable zone (3 x 30 characters) of a record");
       auto a = std::make_shared<MrzArgs>();
       app.add_option("--record,-r", a->record, "Record file (.json, .jsonl, .csv)")
           ->required()
           ->check(CLI::ExistingFile);
       app.add_option("--index", a->index, "Which record of the file (1-based)")->check(CLI::PositiveNumber);
       app.add_option("--state", a->state, "Issuing state or organisation code (default XXA)");
       app.add_option("--document-code", a->code, "Document code, 1-2 characters (default I)");
       app.add_option("--transliteration", a->transliteration, "expand (Ä -> AE, default) or base (Ä -> A)")
           ->check(CLI::IsMember({"expand", "base"}));
       app.add_option("--optional-1", a->optional_1, "Optional data (1), line 1 positions 16-30");
       app.add_option("--optional-2", a->optional_2, "Optional data (2), line 2 positions 19-29");
       return [a] { return run_mrz(*a); };
     }}};

}  // namespace
}  // namespace sdc::cli
