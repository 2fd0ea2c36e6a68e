// The CLI commands end to end (tools/sdc): mrz and lint, and the seal's whole life through the
// commands an issuer and an officer use: keygen, seal, verify-seal, render --key, verify --image.
#include "cli/cli_support.hpp"
#include "seal/seal_support.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <sstream>

namespace sdc::test {
namespace {

const std::string kSrc = SDC_SOURCE_DIR;

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

class Commands : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(cli())) << cli() << " is missing: build the sdc_cli target first.";
    static std::atomic<int> n{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("sdc-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string sdc(const std::string& args) const { return quoted(cli()) + " " + args; }
  std::filesystem::path dir_;
};

TEST_F(Commands, MrzPrintsTheThreeLinesOfARecord) {
  const auto r = run(sdc("mrz -r " + kSrc + "/assets/records/specimen.json"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out,
            "I<XXAXA00004179<<<<<<<<<<<<<<<\n"
            "8407155F2711014XXA<<<<<<<<<<<4\n"
            "SPECIMEN<EXAMPLE<<ALEXANDRA<MA\n");
  // Another record of a CSV file, by index; each line is 30 characters.
  const auto second = run(sdc("mrz -r " + kSrc + "/assets/records/specimen.csv --index 2"));
  ASSERT_EQ(second.status, 0) << second.out;
  EXPECT_EQ(second.out.size(), 3u * 31u) << second.out;
  EXPECT_EQ(second.out.substr(0, 15), "I<XXAXA00004180");
}

TEST_F(Commands, MrzNamesTheFileAndTheRecordThatDoesNotExist) {
  const auto r = run(sdc("mrz -r " + kSrc + "/assets/records/specimen.csv --index 99"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("specimen.csv"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("record 99"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 to 13"), std::string::npos) << r.out;
}

TEST_F(Commands, LintWarnsAt300DpiNotAt600AndStrictFails) {
  const std::string tmpl = kSrc + "/assets/templates/specimen.json";
  const auto r300 = run(sdc("lint -t " + tmpl));
  ASSERT_EQ(r300.status, 0) << r300.out;
  // Every warning names the template, the side/element and the property, and says what to do.
  EXPECT_EQ(count_lines_with(r300.out, "specimen.json: warning: "), 9u) << r300.out;
  EXPECT_EQ(count_lines_with(r300.out, "Fix: "), 9u) << r300.out;
  EXPECT_NE(r300.out.find("front/rosette (line_width)"), std::string::npos) << r300.out;
  EXPECT_NE(r300.out.find("9 warnings at 300 dpi"), std::string::npos) << r300.out;
  EXPECT_EQ(run(sdc("lint -t " + tmpl + " --strict")).status, 1);
  const auto r600 = run(sdc("lint -t " + tmpl + " --dpi 600 --strict"));
  EXPECT_EQ(r600.status, 0) << r600.out;
  EXPECT_NE(r600.out.find("0 warnings at 600 dpi"), std::string::npos) << r600.out;
}

TEST_F(Commands, LintLocatesABrokenTemplate) {
  std::ofstream(dir_ / "broken.json") << "{\n  \"sdc_template\": 1,\n  \"front\": {\"elements\": [}\n}\n";
  const auto r = run(sdc("lint -t " + quoted(dir_ / "broken.json")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("broken.json:3"), std::string::npos) << r.out;
}

// Hostile inputs 10, 15 and 19 through the CLI: --force replaces a pair, a readable key and a
// passphrase for a key in clear are reported.
TEST_F(Commands, KeygenForceAndKeyHygiene) {
  const auto keys = dir_ / "hygiene";
  ASSERT_EQ(run(sdc("keygen --alg ed25519 --out " + quoted(keys))).status, 0);
  const auto again = run(sdc("keygen --alg ed25519 --out " + quoted(keys)));
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.out.find("--force"), std::string::npos) << again.out;
  ASSERT_EQ(::chmod((keys / "key.pem").c_str(), 0644), 0);
  const std::string seal = "seal --record " + kSrc + "/assets/records/specimen.json --key " + quoted(keys / "key.pem") +
                           " --cert " + quoted(keys / "cert.pem");
  const auto loose = run(sdc(seal));
  ASSERT_EQ(loose.status, 0) << loose.out;
  EXPECT_NE(loose.out.find("warning: the private key file"), std::string::npos) << loose.out;
  EXPECT_NE(loose.out.find("readable by everyone (mode 0644)"), std::string::npos) << loose.out;

  const auto forced = run(sdc("keygen --alg es256 --force --out " + quoted(keys)));
  ASSERT_EQ(forced.status, 0) << forced.out;
  struct stat st {};
  ASSERT_EQ(::stat((keys / "key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const auto tight = run(sdc(seal));
  ASSERT_EQ(tight.status, 0) << tight.out;
  EXPECT_EQ(tight.out.find("warning"), std::string::npos) << tight.out;

  std::ofstream(dir_ / "pass.txt") << "a passphrase for nothing\n";
  const auto needless = run(sdc(seal + " --passphrase-file " + quoted(dir_ / "pass.txt")));
  EXPECT_NE(needless.status, 0);
  EXPECT_NE(needless.out.find("not encrypted"), std::string::npos) << needless.out;
  EXPECT_EQ(needless.out.find("a passphrase for nothing"), std::string::npos);
}

TEST_F(Commands, KeygenSealVerifySealAndEveryWayToFail) {
  const auto keys = dir_ / "issuer";
  const auto gen = run(sdc("keygen --alg ed25519 --days 3650 --not-before 1767225600 --out " + quoted(keys)));
  ASSERT_EQ(gen.status, 0) << gen.out;
  struct stat st {};
  ASSERT_EQ(::stat((keys / "key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the private key must be readable by its owner only";
  // Never overwrite a key.
  const auto again = run(sdc("keygen --alg ed25519 --out " + quoted(keys)));
  EXPECT_NE(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;
  // The private key never shows up in any output.
  std::ifstream kin(keys / "key.pem");
  std::string key_pem((std::istreambuf_iterator<char>(kin)), std::istreambuf_iterator<char>());
  const auto body = key_pem.substr(key_pem.find('\n') + 1, 40);

  const std::string key_args = " --key " + quoted(keys / "key.pem") + " --cert " + quoted(keys / "cert.pem");
  const auto seal = run(sdc("seal --record " + kSrc + "/assets/records/specimen.json" + key_args));
  ASSERT_EQ(seal.status, 0) << seal.out;
  ASSERT_EQ(seal.out.rfind("SDC1:", 0), 0u) << seal.out;
  EXPECT_EQ(seal.out.find(body), std::string::npos);
  const std::string text = seal.out.substr(0, seal.out.find('\n'));
  std::ofstream(dir_ / "seal.txt") << text << "\n";

  auto verify = [&](const std::string& input, const std::string& trust, const std::string& at) {
    std::ofstream(dir_ / "in.txt") << input << "\n";
    return run(sdc("verify-seal --trust " + trust + " --at " + at + " < " + quoted(dir_ / "in.txt")));
  };
  const auto ok = verify(text, quoted(keys), "2026-12-01");
  ASSERT_EQ(ok.status, 0) << ok.out;
  const auto j = nlohmann::json::parse(ok.out);
  EXPECT_TRUE(j["valid"].get<bool>());
  EXPECT_EQ(j["payload"]["document_number"], "XA0000417");
  EXPECT_EQ(j["alg"], "EdDSA");

  // A changed character, another issuer's trust store, a revoked document, an expired card, a
  // certificate not yet valid, a text that is not a seal: exit 1 and the reason.
  std::string changed = text;
  changed[text.size() / 2] = changed[text.size() / 2] == 'A' ? 'B' : 'A';
  const auto other = dir_ / "other";
  ASSERT_EQ(run(sdc("keygen --alg es256 --out " + quoted(other))).status, 0);
  std::filesystem::create_directories(dir_ / "revoking");
  std::filesystem::copy_file(keys / "cert.pem", dir_ / "revoking" / "cert.pem");
  std::ofstream(dir_ / "revoking" / "revoked.json") << R"({"documents": ["XA0000417"]})";
  const std::pair<std::string, std::string> cases[] = {
      {verify(changed, quoted(keys), "2026-12-01").out, ""},
      {verify(text, quoted(other), "2026-12-01").out, "unknown_kid"},
      {verify(text, quoted(dir_ / "revoking"), "2026-12-01").out, "revoked"},
      {verify(text, quoted(keys), "2027-11-02").out, "expired"},
      {verify(text, quoted(keys), "2025-06-01").out, "certificate_not_valid"},
      {verify("HC1:NCFOXN%TS3DH", quoted(keys), "2026-12-01").out, "bad_prefix"},
  };
  for (const auto& [out, reason] : cases) {
    const auto v = nlohmann::json::parse(out.substr(out.find('{')));
    EXPECT_FALSE(v["valid"].get<bool>()) << out;
    if (!reason.empty()) {
      EXPECT_EQ(v["reason"], reason) << out;
    }
  }
  EXPECT_EQ(verify(changed, quoted(keys), "2026-12-01").status, 1);
  EXPECT_EQ(verify(text, quoted(keys), "2027-11-02").status, 1);

  // The report's verdict and findings come with the old keys; --json is accepted.
  std::ofstream(dir_ / "in.txt") << text << "\n";
  const auto with_json =
      run(sdc("verify-seal --json --trust " + quoted(keys) + " --at 2026-12-01 < " + quoted(dir_ / "in.txt")));
  ASSERT_EQ(with_json.status, 0) << with_json.out;
  const auto r = nlohmann::json::parse(with_json.out);
  EXPECT_EQ(r["verdict"], "genuine");
  ASSERT_EQ(r["findings"].size(), 6u) << with_json.out;
  EXPECT_EQ(r["findings"][1]["check"], "seal_signature");

  // Bad --at values are bad input (exit 2) with a clear message, never an internal error.
  for (const std::string at : {"2027-02-30", "99999999999999999999"}) {
    const auto bad = verify(text, quoted(keys), at);
    EXPECT_EQ(bad.status, 2) << bad.out;
    EXPECT_NE(bad.out.find("YYYY-MM-DD"), std::string::npos) << bad.out;
  }
}

TEST_F(Commands, VerifySealSurvivesInvalidUtf8AndLinkLoops) {
  // Once "internal error", exit 3: a prefix with a byte that is not UTF-8 is quoted in the message.
  const std::string trust = kSrc + "/assets/keys/specimen-es256";
  std::ofstream(dir_ / "bad.txt") << "SD\x87"
                                     "1:RRQT";
  const auto r = run(sdc("verify-seal --trust " + trust + " < " + quoted(dir_ / "bad.txt")));
  EXPECT_EQ(r.status, 1) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["reason"], "bad_prefix");
  EXPECT_EQ(j["verdict"], "unreadable");

  // A symbolic link loop in the trust folder: a clear error naming it, exit 2.
  const auto loop = dir_ / "loop";
  std::filesystem::create_directories(loop);
  std::filesystem::copy(trust, loop, std::filesystem::copy_options::recursive);
  std::filesystem::create_symlink(loop / "a.pem", loop / "b.pem");
  std::filesystem::create_symlink(loop / "b.pem", loop / "a.pem");
  const auto l = run(sdc("verify-seal --trust " + quoted(loop) + " < " + quoted(dir_ / "bad.txt")));
  EXPECT_EQ(l.status, 2) << l.out;
  EXPECT_NE(l.out.find("loop"), std::string::npos) << l.out;
}

TEST_F(Commands, VerifySealShowsAValidSignatureOnAForeignDccPayload) {
  const auto cases = read_json(data_dir() / "dcc" / "dcc_cases.json");
  for (const auto& c : cases.at("cases")) {
    if (c.value("file", "") != "AT/2DCode/raw/1.json") continue;
    const auto der = b64url(c.at("CERTIFICATE").get<std::string>());
    std::filesystem::create_directories(dir_ / "dcc");
    std::ofstream(dir_ / "dcc" / "dsc.der", std::ios::binary)
        .write(reinterpret_cast<const char*>(der.data()), static_cast<std::streamsize>(der.size()));
    std::ofstream(dir_ / "hc1.txt") << c.at("PREFIX").get<std::string>() << "\n";
    const std::string args = "verify-seal --prefix HC1: --at 2021-05-06T18:00:00Z --trust " + quoted(dir_ / "dcc");
    const auto r = run(sdc(args + " < " + quoted(dir_ / "hc1.txt")));
    EXPECT_EQ(r.status, 1) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["verdict"], "invalid");
    EXPECT_NE(j["message"].get<std::string>().find("signature is valid"), std::string::npos) << r.out;
    EXPECT_EQ(j["findings"][1]["check"], "seal_signature");
    EXPECT_EQ(j["findings"][1]["outcome"], "pass") << r.out;
    EXPECT_EQ(j["findings"][3]["code"], "not_sdc_card") << r.out;
    EXPECT_EQ(j["decoded_payload"]["1"], "AT") << r.out;
    const auto cwt = run(sdc(args + " --payload cwt < " + quoted(dir_ / "hc1.txt")));
    EXPECT_EQ(cwt.status, 0) << cwt.out;
    return;
  }
  FAIL() << "AT/2DCode/raw/1.json is missing from the DCC test data";
}

TEST_F(Commands, RenderRefusesARecordPhotoOutsideTheRecordsFolderUnlessTold) {
  // A record written elsewhere that names the specimen photo in the source tree.
  std::ifstream in(kSrc + "/assets/records/specimen.json");
  std::stringstream text;
  text << in.rdbuf();
  auto rec = nlohmann::json::parse(text.str());
  rec["photo"] = kSrc + "/assets/records/photos/astronaut.png";
  {
    std::ofstream out(dir_ / "record.json");
    out << rec.dump();
  }
  const std::string args = "render -t " + kSrc + "/assets/templates/specimen.json -r " + quoted(dir_ / "record.json") +
                           " --side back --dpi 100 --out " + quoted(dir_ / "confined");
  const auto refused = run(sdc(args));
  EXPECT_EQ(refused.status, 2) << refused.out;
  EXPECT_NE(refused.out.find("leaves the photo folder"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("the record's folder"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("--photo-root"), std::string::npos) << refused.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "confined" / "back.png"));
  const auto named = run(sdc(args + " --photo-root " + kSrc + "/assets/templates"));
  EXPECT_EQ(named.status, 2) << named.out;
  EXPECT_NE(named.out.find("leaves the photo folder"), std::string::npos) << named.out;
  EXPECT_EQ(run(sdc(args + " --photo-root " + kSrc + "/assets")).status, 0);
  EXPECT_EQ(run(sdc(args + " --any-photo-path")).status, 0);
  EXPECT_NE(run(sdc(args + " --any-photo-path --photo-root " + kSrc)).status, 0);  // one or the other
}

TEST_F(Commands, VerifyReadsTheSealFromARenderedCard) {
  const auto keys = dir_ / "issuer";
  // A certificate valid from 2026-01-01 for ten years, as above: checked at the fixed date below,
  // whatever day the test runs (keygen's default starts now, which once put the check date before it).
  ASSERT_EQ(run(sdc("keygen --alg es256 --days 3650 --not-before 1767225600 --out " + quoted(keys))).status, 0);
  const auto out = dir_ / "card";
  const auto render = run(sdc("render -t " + kSrc + "/assets/templates/specimen.json -r " + kSrc +
                              "/assets/records/specimen.json --side back --out " + quoted(out) + " --key " +
                              quoted(keys / "key.pem") + " --cert " + quoted(keys / "cert.pem")));
  ASSERT_EQ(render.status, 0) << render.out;
  const auto v =
      run(sdc("verify --image " + quoted(out / "back.png") + " --trust " + quoted(keys) + " --at 2026-12-01"));
  ASSERT_EQ(v.status, 0) << v.out;
  const auto j = nlohmann::json::parse(v.out.substr(v.out.find('{')));
  EXPECT_EQ(j["codes_found"], 1) << v.out;
  ASSERT_EQ(j["seals"].size(), 1u) << v.out;
  EXPECT_TRUE(j["seals"][0]["valid"].get<bool>()) << v.out;
  EXPECT_EQ(j["seals"][0]["payload"]["surname"], "Specimen-Example");
  EXPECT_EQ(j["verdict"], "genuine") << v.out;
  // A file name that is not UTF-8 (once "internal error", exit 3) is written replaced.
  const auto odd = dir_ / "card-\xff.png";
  std::filesystem::copy_file(out / "back.png", odd);
  const auto o = run(sdc("verify --json --image " + quoted(odd) + " --trust " + quoted(keys) + " --at 2026-12-01"));
  ASSERT_EQ(o.status, 0) << o.out;
  EXPECT_NE(nlohmann::json::parse(o.out)["image"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
  // The same card checked against the specimen key: not this issuer.
  const auto wrong = run(sdc("verify --image " + quoted(out / "back.png") + " --trust " + kSrc +
                             "/assets/keys/specimen-es256 --at 2026-12-01"));
  EXPECT_EQ(wrong.status, 1) << wrong.out;
  EXPECT_NE(wrong.out.find("unknown_kid"), std::string::npos) << wrong.out;
}

}  // namespace
}  // namespace sdc::test
