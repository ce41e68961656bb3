#include "scenarios/runner/trace_writer.h"

#include <chrono>

namespace p2pquic::scenarios {

void TraceWriter::Write(const std::string& host, const char* kind, nlohmann::json fields) {
  if (out_ == nullptr) return;
  nlohmann::ordered_json line;
  line["t_us"] =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now() - start_).count();
  line["host"] = host;
  line["ev"] = kind;
  for (auto& [key, value] : fields.items()) line[key] = value;
  *out_ << line.dump() << '\n';
  ++lines_;
}

}  // namespace p2pquic::scenarios
