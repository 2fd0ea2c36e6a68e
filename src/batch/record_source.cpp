// open_record_source: the batch's view of a record file (RecordStream).
#include <sdc/batch.hpp>

namespace sdc {

namespace {

class FileSource final : public RecordSource {
 public:
  FileSource(RecordStream stream, std::string name) : stream_(std::move(stream)), name_(std::move(name)) {}
  Result<bool> next(StreamedRecord& out) override { return stream_.next(out); }
  double fraction() const noexcept override { return stream_.fraction(); }
  std::string name() const override { return name_; }

 private:
  RecordStream stream_;
  std::string name_;
};

}  // namespace

Result<std::unique_ptr<RecordSource>> open_record_source(const std::filesystem::path& path) {
  SDC_TRY_ASSIGN(auto stream, RecordStream::open(path));
  return std::unique_ptr<RecordSource>(std::make_unique<FileSource>(std::move(stream), path.string()));
}

}  // namespace sdc
