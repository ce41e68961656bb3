// Run-time text: how the runner's messages (failed actions, expectation
// details) write an instant of a run, measured from kRunStart.
#pragma once

#include <string>

#include "transport/base/time.h"

namespace p2pquic::scenarios {

// `d` in seconds.
double Seconds(Duration d);
// "t=1.234s": an instant `at` after the run's start, to the millisecond.
std::string At(Duration at);

}  // namespace p2pquic::scenarios
