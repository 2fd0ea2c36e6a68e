// sdc lint: what a template's security features will lose at a given print resolution.
#include <sdc/lint.hpp>
#include <sdc/template.hpp>

#include <cstdio>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct LintArgs {
  std::string tmpl;
  int dpi = 300;
  bool strict = false;
};

int run_lint(const LintArgs& a) {
  auto tmpl = Template::load(a.tmpl);
  if (!tmpl) return fail("lint", tmpl.error());
  const auto warnings = lint(*tmpl, Dpi{a.dpi});
  for (const auto& w : warnings) std::printf("%s: warning: %s\n", a.tmpl.c_str(), w.to_string().c_str());
  std::fprintf(stderr, "sdc lint: %zu warning%s at %d dpi\n", warnings.size(), warnings.size() == 1 ? "" : "s", a.dpi);
  return a.strict && !warnings.empty() ? check_failed : ok;
}

const Registrar reg_lint{
    {"lint", [](CLI::App& app) -> std::function<int()> {
       app.description("Warn about security features a print resolution cannot reproduce");
       auto a = std::make_shared<LintArgs>();
       app.add_option("--template,-t", a->tmpl, "Template JSON file")->required()->check(CLI::ExistingFile);
       app.add_option("--dpi", a->dpi, "Print resolution (default 300)")->check(CLI::Range(72, 2400));
       app.add_flag("--strict", a->strict, "Exit with status 1 when there are warnings");
       return [a] { return run_lint(*a); };
     }}};

}  // namespace
}  // namespace sdc::cli
