#include "scenarios/runner/run_time.h"

#include <sstream>

namespace p2pquic::scenarios {

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

std::string At(Duration at) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << "t=" << Seconds(at) << "s";
  return out.str();
}

}  // namespace p2pquic::scenarios
