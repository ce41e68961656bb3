// Small helpers shared by the transport bench: medians, percentiles, the
// process's resident memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace p2pquic::bench {

// Median of `values` (0 when empty).
double Median(std::vector<double> values);
// The p-th percentile (0..100), nearest rank (0 when empty).
double Percentile(std::vector<double> values, double p);

// This process's resident set size in bytes, from /proc/self/statm.
int64_t ResidentBytes();

// "a, b, c" with one decimal.
std::string JoinValues(const std::vector<double>& values);

}  // namespace p2pquic::bench
