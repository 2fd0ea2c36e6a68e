// The batch engine: streamed records, bad records reported and skipped, duplicates refused,
// thread-count independence, disjoint and covering shards, the manifest, resume and the lock.
#include <sdc/batch.hpp>
#include <sdc/pipeline.hpp>
#include <sdc/seal.hpp>

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/digest.hpp"

namespace sdc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSource = SDC_SOURCE_DIR;

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::path(SDC_BINARY_DIR) / "test_batch" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

const std::string kHeader =
    "surname,given_names,surname_latin,given_names_latin,date_of_birth,sex,nationality,registration_number,"
    "docket_number,document_number,issuing_office,issuing_office_code,issue_date,expiry_date,card_variant,photo";

// A valid specimen row with its own document number and photo.
std::string row(int i, const std::string& photo = "") {
  char doc[16];
  std::snprintf(doc, sizeof doc, "XB%07d", i);
  const std::string p = photo.empty() ? (kSource / "assets/records/photos/astronaut.png").string() : photo;
  return "Example-" + std::to_string(i) + ",Alex,EXAMPLE,ALEX,1984-07-15,F,XXA,204518736,CR-2026-004217," + doc +
         ",Specimen City Field Office,SCF,2026-11-02,2027-11-01,temporary," + p;
}

fs::path write_records(const fs::path& dir, int n) {
  std::string text = kHeader + "\n";
  for (int i = 1; i <= n; ++i) text += row(i) + "\n";
  write_text(dir / "records.csv", text);
  return dir / "records.csv";
}

Pipeline make_pipeline() {
  auto tmpl = Template::load(kSource / "assets/templates/specimen.json").value();
  const fs::path keys = kSource / "assets/keys/specimen-ed25519";
  Issuer issuer;
  issuer.signer = load_signer(keys / "key.pem", keys / "cert.pem").value();
  // The test writes its records in a temporary folder, naming photos in the source tree.
  PipelineOptions o{.resources = Resources::at(kSource), .dpi = Dpi{72}, .allow_any_photo_path = true};
  o.request.png = true;
  o.request.seal_text = true;
  auto p = Pipeline::create(std::move(tmpl), std::move(issuer), o);
  EXPECT_TRUE(p) << p.error().to_string();
  return std::move(p).value();
}

const Pipeline& pipeline() {
  static const Pipeline p = make_pipeline();
  return p;
}

struct Collected {
  std::vector<BatchCard> cards;
  std::vector<BatchFailure> failures;
};

// A sink that keeps every card and failure in `out`.
CallbackSink collecting(Collected& out) {
  return CallbackSink(
      [&out](const BatchCard& c) {
        out.cards.push_back(c);
        return Status{};
      },
      [&out](const BatchFailure& f) {
        out.failures.push_back(f);
        return Status{};
      });
}

// `batch` over the records of `records` into `out`.
Result<BatchSummary> run_into(const Batch& batch, const fs::path& records, Collected& out) {
  auto source = open_record_source(records);
  if (!source) return source.error();
  CallbackSink sink = collecting(out);
  return batch.run(**source, sink);
}

Result<BatchSummary> run_collect(const fs::path& records, BatchOptions options, Collected& out) {
  SDC_TRY_ASSIGN(auto batch, Batch::create(pipeline(), std::move(options)));
  return run_into(batch, records, out);
}

std::vector<json> read_jsonl(const fs::path& p) {
  std::vector<json> out;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

// ---------------------------------------------------------------------------------------------

TEST(RecordStream, GivesWhatLoadRecordsGives) {
  const fs::path file = kSource / "assets/records/specimen.csv";
  auto all = load_records(file);
  ASSERT_TRUE(all) << all.error().to_string();
  auto stream = RecordStream::open(file);
  ASSERT_TRUE(stream) << stream.error().to_string();
  StreamedRecord r;
  std::size_t i = 0;
  while (stream->next(r).value()) {
    ASSERT_LT(i, all->size());
    ASSERT_TRUE(r.record) << r.error->to_string();
    EXPECT_EQ(r.record->fields, (*all)[i].fields);
    EXPECT_EQ(r.record->index, (*all)[i].index);
    EXPECT_EQ(r.record->line, (*all)[i].line);
    EXPECT_EQ(r.number, static_cast<long>(i + 1));
    ++i;
  }
  EXPECT_EQ(i, all->size());
  EXPECT_DOUBLE_EQ(stream->fraction(), 1.0);
}

// Found by the record_stream fuzz campaign (corpus file crash-00f9b597...): "3*v\n " was one
// record (the value " ") for parse_records and none for the stream. A line of spaces and tabs is
// blank for both, before the header too; a quoted field of spaces is a value for both.
TEST(RecordStream, BlankLinesOfSpacesAreBlankForTheStreamAndTheWholeFile) {
  const fs::path dir = temp_dir("blank-lines");
  const std::string text = " \t\nname,photo\n \nAda,a.png\n\t \r\n\"  \",b.png\n   \n";
  write_text(dir / "r.csv", text);
  auto all = parse_records(text, RecordFormat::csv, "r.csv", dir);
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].get("name"), "  ");
  auto stream = RecordStream::open(dir / "r.csv");
  ASSERT_TRUE(stream) << stream.error().to_string();
  StreamedRecord r;
  std::vector<Record> streamed;
  while (stream->next(r).value()) {
    ASSERT_TRUE(r.record) << r.error->to_string();
    streamed.push_back(*r.record);
  }
  ASSERT_EQ(streamed.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(streamed[i].fields, (*all)[i].fields) << i;
  // The fuzzer's input: a header and a line of one space, no record.
  auto one = parse_records("3*v\n ", RecordFormat::csv, "x.csv", dir);
  EXPECT_TRUE(!one || one->empty()) << "a line of spaces is not a record";
}

TEST(RecordStream, ReportsMalformedRowsAndGoesOn) {
  const fs::path dir = temp_dir("malformed");
  std::string text = "\xEF\xBB\xBF" + kHeader + "\n";
  text += row(1) + "\n";                                                    // record 1, line 2
  text += "only,three,fields\n";                                            // record 2, line 3: wrong width
  text += "\n";                                                             // blank: not a record
  text += "\"multi\nline\"," + row(4).substr(row(4).find(',') + 1) + "\n";  // record 3, lines 5-6
  text += "bad\"quote," + row(5).substr(row(5).find(',') + 1) + "\n";       // record 4, line 7
  text += "\xC3\x28," + row(6).substr(row(6).find(',') + 1) + "\n";         // record 5, line 8: bad UTF-8
  text += row(7) + "\r\n";                                                  // record 6, line 9 (CRLF)
  write_text(dir / "r.csv", text);
  auto stream = RecordStream::open(dir / "r.csv");
  ASSERT_TRUE(stream) << stream.error().to_string();
  std::vector<StreamedRecord> got;
  StreamedRecord r;
  while (stream->next(r).value()) got.push_back(r);
  ASSERT_EQ(got.size(), 6u);
  const int lines[] = {2, 3, 5, 7, 8, 9};
  const bool ok[] = {true, false, true, false, false, true};
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].number, static_cast<long>(i + 1));
    EXPECT_EQ(got[i].line, lines[i]) << i;
    EXPECT_EQ(got[i].record.has_value(), ok[i]) << i;
    if (!ok[i]) {
      ASSERT_TRUE(got[i].error);
      EXPECT_EQ(got[i].error->where().line, lines[i]) << got[i].error->to_string();
      EXPECT_EQ(got[i].error->where().record, static_cast<long>(i)) << got[i].error->to_string();
      EXPECT_EQ(got[i].error->where().file, (dir / "r.csv").string());
    }
  }
  EXPECT_EQ(got[2].record->get("surname"), "multi\nline");
  EXPECT_EQ(got[5].record->get("document_number"), "XB0000007");
  EXPECT_NE(got[1].error->message().find("3 fields"), std::string::npos) << got[1].error->message();
}

TEST(RecordStream, AnUnclosedQuoteDoesNotSwallowTheFile) {
  const fs::path dir = temp_dir("unclosed");
  std::string text = kHeader + "\n\"never closed," + row(1).substr(row(1).find(',') + 1) + "\n";
  const std::string filler(2000, 'x');
  for (int i = 2; i < 800; ++i) text += row(i) + "," + filler + "\n";  // > 1 MiB while the quote is open
  write_text(dir / "r.csv", text);
  auto stream = RecordStream::open(dir / "r.csv");
  ASSERT_TRUE(stream);
  StreamedRecord r;
  ASSERT_TRUE(stream->next(r).value());
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.line, 2);
  EXPECT_NE(r.error->message().find("never closed"), std::string::npos) << r.error->message();
  ASSERT_TRUE(stream->next(r).value());  // resumes on line 3
  EXPECT_EQ(r.line, 3);
  long n = 1;
  while (stream->next(r).value()) ++n;
  EXPECT_GT(n, 700);
}

TEST(RecordStream, JsonLinesWithABrokenLine) {
  const fs::path dir = temp_dir("jsonl");
  write_text(dir / "r.jsonl", "{\"surname\":\"A\"}\n{\"surname\":\n\n{\"surname\":\"C\"}\n");
  auto stream = RecordStream::open(dir / "r.jsonl");
  ASSERT_TRUE(stream) << stream.error().to_string();
  std::vector<StreamedRecord> got;
  StreamedRecord r;
  while (stream->next(r).value()) got.push_back(r);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[0].record);
  EXPECT_TRUE(got[1].error);
  EXPECT_EQ(got[1].line, 2);
  ASSERT_TRUE(got[2].record);
  EXPECT_EQ(got[2].record->get("surname"), "C");
  EXPECT_EQ(got[2].line, 4);
}

// ---------------------------------------------------------------------------------------------

TEST(Batch, OutputDoesNotDependOnTheThreadCount) {
  const fs::path dir = temp_dir("threads");
  const fs::path records = write_records(dir, 10);
  Collected one, three;
  auto s1 = run_collect(records, {.threads = 1}, one);
  ASSERT_TRUE(s1) << s1.error().to_string();
  auto s3 = run_collect(records, {.threads = 3, .tokens = 5}, three);
  ASSERT_TRUE(s3) << s3.error().to_string();
  EXPECT_EQ(s1->made, 10);
  EXPECT_EQ(s3->made, 10);
  ASSERT_EQ(one.cards.size(), three.cards.size());
  for (std::size_t i = 0; i < one.cards.size(); ++i) {
    EXPECT_EQ(one.cards[i].number, static_cast<long>(i + 1));
    EXPECT_EQ(three.cards[i].number, one.cards[i].number);
    ASSERT_EQ(one.cards[i].files.size(), three.cards[i].files.size());
    for (std::size_t f = 0; f < one.cards[i].files.size(); ++f) {
      EXPECT_EQ(one.cards[i].files[f].name, three.cards[i].files[f].name);
      EXPECT_EQ(one.cards[i].files[f].bytes, three.cards[i].files[f].bytes) << "card " << i + 1;
      EXPECT_EQ(one.cards[i].files[f].sha256, detail::to_hex(detail::digest_sha256(three.cards[i].files[f].bytes)));
    }
  }
  // Through the directory sink: the same manifest, byte for byte.
  for (int t : {1, 3}) {
    auto source = open_record_source(records);
    auto sink = DirectorySink::open(dir / ("out" + std::to_string(t)));
    ASSERT_TRUE(sink) << sink.error().to_string();
    auto s = Batch::create(pipeline(), {.threads = t}).value().run(**source, **sink);
    ASSERT_TRUE(s) << s.error().to_string();
  }
  const std::string m1 = read_text(dir / "out1/manifest.jsonl");
  EXPECT_FALSE(m1.empty());
  EXPECT_EQ(m1, read_text(dir / "out3/manifest.jsonl"));
  EXPECT_EQ(read_text(dir / "out1/XB0000004/front.png"), read_text(dir / "out3/XB0000004/front.png"));
}

// Workers reuse buffers and the previous card's CMYK separation: the cards must still be exactly
// what a fresh Pipeline::run makes, whatever card a worker made before.
TEST(Batch, ReusedWorkerBuffersGiveTheBytesOfAFreshRun) {
  const fs::path dir = temp_dir("workspace");
  const fs::path records = write_records(dir, 5);
  auto tmpl = Template::load(kSource / "assets/templates/specimen.json").value();
  const fs::path keys = kSource / "assets/keys/specimen-ed25519";
  Issuer issuer;
  issuer.signer = load_signer(keys / "key.pem", keys / "cert.pem").value();
  // The test writes its records in a temporary folder, naming photos in the source tree.
  PipelineOptions o{.resources = Resources::at(kSource), .dpi = Dpi{72}, .allow_any_photo_path = true};
  o.request.png = o.request.cmyk_tiff = true;
  auto p = Pipeline::create(std::move(tmpl), std::move(issuer), o);
  ASSERT_TRUE(p) << p.error().to_string();
  const auto all = load_records(records).value();
  // Each card made alone, with fresh buffers: what every batch below must give.
  std::vector<std::vector<ExportOutput>> fresh;
  for (const auto& r : all) {
    auto one = p->run(r);
    ASSERT_TRUE(one) << one.error().to_string();
    fresh.push_back(std::move(one->exported.outputs));
  }
  for (int t : {1, 2}) {
    Collected got;
    auto s = run_into(Batch::create(*p, {.threads = t}).value(), records, got);
    ASSERT_TRUE(s) << s.error().to_string();
    ASSERT_EQ(got.cards.size(), all.size());
    EXPECT_GT(s->stages.compose_ns, 0);
    EXPECT_GT(s->stages.render_ns, 0);
    EXPECT_GT(s->stages.separate_ns, 0);
    EXPECT_GT(s->stages.encode_ns, 0);
    EXPECT_GT(s->stages.digest_ns, 0);
    for (std::size_t i = 0; i < all.size(); ++i) {
      ASSERT_EQ(got.cards[i].files.size(), fresh[i].size());
      for (std::size_t f = 0; f < got.cards[i].files.size(); ++f)
        EXPECT_TRUE(got.cards[i].files[f].bytes == fresh[i][f].bytes)
            << t << " threads, card " << i + 1 << ", " << got.cards[i].files[f].name;
    }
    // One Batch run again: its workers come back with the last run's buffers and separation memo
    // (the first card's static regions are not separated again), and the cards are still those of
    // a fresh run, twice over (the same Batch, two runs in a row).
    const Batch again = Batch::create(*p, {.threads = t}).value();
    for (int run = 0; run < 2; ++run) {
      Collected more;
      auto r = run_into(again, records, more);
      ASSERT_TRUE(r) << r.error().to_string();
      ASSERT_EQ(more.cards.size(), all.size());
      EXPECT_EQ(r->made, static_cast<long>(all.size()));
      EXPECT_GT(r->stages.compose_ns, 0);  // the run's own times, not the sum of both runs'
      for (std::size_t i = 0; i < all.size(); ++i)
        for (std::size_t f = 0; f < more.cards[i].files.size(); ++f)
          EXPECT_TRUE(more.cards[i].files[f].bytes == fresh[i][f].bytes)
              << t << " threads, run " << run + 1 << ", card " << i + 1 << ", " << more.cards[i].files[f].name;
    }
    // Through the directory sink, whose written buffers the workers take back for their next
    // card's TIFF: the files are still those of a fresh run.
    auto dsource = open_record_source(records);
    const fs::path out = dir / ("out" + std::to_string(t));
    auto dsink = DirectorySink::open(out);
    ASSERT_TRUE(dsink) << dsink.error().to_string();
    auto ds = Batch::create(*p, {.threads = t}).value().run(**dsource, **dsink);
    ASSERT_TRUE(ds) << ds.error().to_string();
    for (std::size_t i = 0; i < all.size(); ++i) {
      for (const auto& file : fresh[i])
        EXPECT_TRUE(read_text(out / got.cards[i].document_number / file.name) ==
                    std::string(file.bytes.begin(), file.bytes.end()))
            << t << " threads, card " << i + 1 << ", " << file.name << " in the folder";
    }
  }
}

// Records the threads that store cards.
class ThreadSink final : public BatchSink {
 public:
  Status store(BatchCard&) override {
    std::lock_guard lock(mutex_);
    ids_.insert(std::this_thread::get_id());
    return {};
  }
  Status card_done(const BatchCard&) override { return {}; }
  Status record_failed(const BatchFailure&) override { return {}; }
  std::set<std::thread::id> ids() const { return ids_; }

 private:
  std::mutex mutex_;
  std::set<std::thread::id> ids_;
};

TEST(Batch, UsesExactlyTheThreadsAskedFor) {
  const fs::path dir = temp_dir("thread_ids");
  const fs::path records = write_records(dir, 6);
  for (int t : {1, 2}) {
    auto source = open_record_source(records);
    ThreadSink sink;
    auto s = Batch::create(pipeline(), {.threads = t}).value().run(**source, sink);
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_EQ(s->made, 6);
    EXPECT_GE(sink.ids().size(), 1u);
    EXPECT_LE(sink.ids().size(), static_cast<std::size_t>(t)) << t << " threads";
    if (t == 1) {
      EXPECT_EQ(*sink.ids().begin(), std::this_thread::get_id()) << "one thread: the caller's";
    }
  }
}

// By default a sink that waits for the disk gets one worker more than a sink in memory, so that a
// core never idles while a worker waits for its fsync; an explicit count is taken as it is.
TEST(Batch, TheDefaultThreadCountAddsOneWorkerForASinkThatWaits) {
  const fs::path dir = temp_dir("default_threads");
  const fs::path records = write_records(dir, 3);
  Collected mem;
  auto in_memory = run_collect(records, {}, mem);
  ASSERT_TRUE(in_memory) << in_memory.error().to_string();
  EXPECT_GE(in_memory->threads, 1);
  for (const int asked : {0, 2}) {
    auto source = open_record_source(records);
    auto sink = DirectorySink::open(dir / ("out" + std::to_string(asked)));
    ASSERT_TRUE(sink) << sink.error().to_string();
    EXPECT_TRUE((*sink)->store_waits());
    auto s = Batch::create(pipeline(), {.threads = asked}).value().run(**source, **sink);
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_EQ(s->made, 3);
    EXPECT_EQ(s->threads, asked == 0 ? in_memory->threads + 1 : asked);
  }
  EXPECT_EQ(read_text(dir / "out0/manifest.jsonl"), read_text(dir / "out2/manifest.jsonl"));
}

TEST(Batch, ShardsAreDisjointAndCoverTheFile) {
  const fs::path dir = temp_dir("shards");
  std::string text = kHeader + "\n";
  for (int i = 1; i <= 14; ++i) text += (i == 5 ? std::string("broken,row") : row(i)) + "\n";
  write_text(dir / "r.csv", text);
  std::map<long, int> owner;
  for (int s = 0; s < 3; ++s) {
    Collected c;
    auto sum = run_collect(dir / "r.csv", {.threads = 2, .shard_index = s, .shard_count = 3}, c);
    ASSERT_TRUE(sum) << sum.error().to_string();
    EXPECT_EQ(sum->read, static_cast<long>(c.cards.size() + c.failures.size()));
    for (const auto& card : c.cards) {
      EXPECT_EQ(shard_of(card.document_number, 3), s);
      EXPECT_TRUE(owner.emplace(card.number, s).second) << "record " << card.number << " in two shards";
    }
    for (const auto& f : c.failures) EXPECT_TRUE(owner.emplace(f.number, s).second) << f.number;
  }
  ASSERT_EQ(owner.size(), 14u);
  EXPECT_EQ(owner.begin()->first, 1);
  EXPECT_EQ(owner.rbegin()->first, 14);
  EXPECT_EQ(owner.at(5), (5 - 1) % 3) << "a record without a document number goes by its number";
  EXPECT_FALSE(Batch::create(pipeline(), {.shard_index = 3, .shard_count = 3}));
}

TEST(Batch, BadRecordsAreReportedAndTheBatchGoesOn) {
  const fs::path dir = temp_dir("bad");
  // A truncated PNG, and a 50-megapixel one (7100 x 7100 gray, over the decoder's 40 MP limit).
  const std::string png = read_text(kSource / "assets/records/photos/astronaut.png");
  write_text(dir / "truncated.png", png.substr(0, png.size() / 3));
  {
    const std::uint32_t side = 7100;
    std::string ihdr = std::string("IHDR") + char(0) + char(0) + char(side >> 8) + char(side & 255) + char(0) +
                       char(0) + char(side >> 8) + char(side & 255) + char(8) + char(0) + char(0) + char(0) + char(0);
    std::string huge = "\x89PNG\r\n\x1a\n";
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), static_cast<uInt>(ihdr.size())));
    huge += std::string("\0\0\0\x0d", 4) + ihdr;
    for (int shift : {24, 16, 8, 0}) huge += static_cast<char>((crc >> shift) & 255);
    write_text(dir / "huge.png", huge);
  }
  std::string text = kHeader + "\n";
  text += row(1) + "\n";
  text += row(2, (dir / "missing.png").string()) + "\n";
  text += row(3, (dir / "truncated.png").string()) + "\n";
  text += row(4, (dir / "huge.png").string()) + "\n";
  std::string bad_date = row(5);
  bad_date.replace(bad_date.find("1984-07-15"), 10, "1984-02-30");
  text += bad_date + "\n";
  text += row(1) + "\n";  // record 6: the document number of record 1 again
  text += row(7) + "\n";
  write_text(dir / "r.csv", text);

  auto source = open_record_source(dir / "r.csv");
  auto sink = DirectorySink::open(dir / "out");
  ASSERT_TRUE(sink) << sink.error().to_string();
  auto s = Batch::create(pipeline(), {.threads = 2}).value().run(**source, **sink);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->made, 2);
  EXPECT_EQ(s->failed, 5);
  const auto errors = read_jsonl(dir / "out/errors.jsonl");
  ASSERT_EQ(errors.size(), 5u);
  std::map<long, json> by_record;
  for (const auto& e : errors) by_record[e["record"].get<long>()] = e;
  for (long n : {2L, 3L, 4L, 5L, 6L}) ASSERT_TRUE(by_record.count(n)) << n;
  EXPECT_EQ(by_record[5]["field"], "date_of_birth");
  EXPECT_EQ(by_record[5]["line"], 6);
  EXPECT_EQ(by_record[6]["field"], "document_number");
  const std::string dup = by_record[6]["message"].get<std::string>();
  EXPECT_NE(dup.find("record 1 "), std::string::npos) << dup;
  EXPECT_NE(dup.find("record 6"), std::string::npos) << dup;
  EXPECT_NE(by_record[4]["message"].get<std::string>().find("limit"), std::string::npos) << by_record[4];
  const auto manifest = read_jsonl(dir / "out/manifest.jsonl");
  ASSERT_EQ(manifest.size(), 2u);
  EXPECT_EQ(manifest[0]["record"], 1);
  EXPECT_EQ(manifest[1]["record"], 7);
  EXPECT_EQ(manifest[0]["template"], pipeline().tmpl().content_id());
  EXPECT_EQ(manifest[0]["kid"], to_hex(pipeline().issuer().signer->key_id()));
  for (const auto& f : manifest[0]["files"])
    EXPECT_EQ(f["sha256"],
              detail::to_hex(detail::digest_sha256(read_text(dir / "out" / f["path"].get<std::string>()))));
}

TEST(Batch, ResumeKeepsIntactCardsAndRemakesTheRest) {
  const fs::path dir = temp_dir("resume");
  const fs::path records = write_records(dir, 6);
  {
    auto source = open_record_source(records);
    auto sink = DirectorySink::open(dir / "out");
    ASSERT_TRUE(sink);
    ASSERT_TRUE(Batch::create(pipeline(), {.threads = 2}).value().run(**source, **sink));
  }
  const std::string complete = read_text(dir / "out/manifest.jsonl");
  // Damage: one card's file changed, one card's file gone, and a torn last line as after a crash.
  write_text(dir / "out/XB0000002/front.png", "not a png");
  fs::remove(dir / "out/XB0000005/back.png");
  { std::ofstream(dir / "out/manifest.jsonl", std::ios::app) << "{\"record\":7,\"files\":["; }

  EXPECT_FALSE(DirectorySink::open(dir / "out")) << "a folder with a manifest needs resume";
  auto source = open_record_source(records);
  auto sink = DirectorySink::open(dir / "out", {.resume = true});
  ASSERT_TRUE(sink) << sink.error().to_string();
  EXPECT_EQ((*sink)->resumed(), 4);
  EXPECT_EQ((*sink)->dropped(), 2);
  auto s = Batch::create(pipeline(), {.threads = 2}).value().run(**source, **sink);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->skipped, 4);
  EXPECT_EQ(s->made, 2);
  const auto manifest = read_jsonl(dir / "out/manifest.jsonl");
  std::set<long> numbers;
  for (const auto& m : manifest) {
    EXPECT_TRUE(numbers.insert(m["record"].get<long>()).second) << "duplicated: " << m["record"];
    for (const auto& f : m["files"])
      EXPECT_EQ(f["sha256"],
                detail::to_hex(detail::digest_sha256(read_text(dir / "out" / f["path"].get<std::string>()))));
  }
  EXPECT_EQ(numbers, (std::set<long>{1, 2, 3, 4, 5, 6}));
  // Same lines as the uninterrupted run, the remade ones at the end.
  std::set<std::string> a, b;
  std::istringstream ca(complete), cb(read_text(dir / "out/manifest.jsonl"));
  for (std::string l; std::getline(ca, l);) a.insert(l);
  for (std::string l; std::getline(cb, l);) b.insert(l);
  EXPECT_EQ(a, b);
}

TEST(Batch, ASecondBatchCannotWriteTheSameFolder) {
  const fs::path dir = temp_dir("lock");
  auto first = DirectorySink::open(dir / "out");
  ASSERT_TRUE(first);
  auto second = DirectorySink::open(dir / "out");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), Errc::io);
  EXPECT_NE(second.error().message().find("another batch"), std::string::npos) << second.error().to_string();
  first->reset();
  EXPECT_TRUE(DirectorySink::open(dir / "out")) << "the lock goes with the sink";
}

TEST(Batch, AnUnsafeDocumentNumberIsARecordFailure) {
  const fs::path dir = temp_dir("unsafe");
  std::string r = row(1);
  r.replace(r.find("XB0000001"), 9, "../escape");
  write_text(dir / "r.csv", kHeader + "\n" + r + "\n" + row(2) + "\n");
  auto source = open_record_source(dir / "r.csv");
  auto sink = DirectorySink::open(dir / "out");
  ASSERT_TRUE(sink);
  auto s = Batch::create(pipeline(), {.threads = 1}).value().run(**source, **sink);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->failed, 1);
  EXPECT_EQ(s->made, 1);
  const auto errors = read_jsonl(dir / "out/errors.jsonl");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["record"], 1);
  EXPECT_EQ(errors[0]["field"], "document_number");
  EXPECT_FALSE(fs::exists(dir / "escape"));
  EXPECT_TRUE(fs::exists(dir / "out/XB0000002/front.png"));
}

}  // namespace
}  // namespace sdc::test
