// libFuzzer target: any bytes -> parse_csv. The input is the file itself (so the
// seed corpus is plain .csv files); its length picks one of four option sets, so
// every seed also runs with standardisation, a named target and tight limits as it
// mutates. Any vgl::Error is a correct answer; a crash, a sanitizer report or a
// data set that breaks csv.h's promises is a bug.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/data/csv.h"
#include "core/error.h"

namespace {

#define FUZZ_ASSERT(cond)                                                                \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

vgl::CsvOptions options_for(size_t size) {
  vgl::CsvOptions o;
  switch (size % 4) {
    case 1: o.standardize = true; break;
    case 2: o.target_column = "label"; break;  // a common header name; absent is an error too
    case 3:
      o.max_rows = 3;
      o.max_columns = 3;
      o.max_bytes = 200;
      break;
    default: break;
  }
  return o;
}

void check(const vgl::CsvDataset& d) {
  FUZZ_ASSERT(d.rows >= 1 && d.features >= 1);
  FUZZ_ASSERT(static_cast<int64_t>(d.feature_names.size()) == d.features);
  FUZZ_ASSERT(static_cast<int64_t>(d.x.size()) == d.rows * d.features);
  FUZZ_ASSERT(static_cast<int64_t>(d.y.size()) == d.rows);
  for (float v : d.x) FUZZ_ASSERT(std::isfinite(v));
  for (float v : d.y) FUZZ_ASSERT(std::isfinite(v));
  if (d.classification) {
    FUZZ_ASSERT(!d.class_names.empty());
    for (float v : d.y) FUZZ_ASSERT(v >= 0 && v < static_cast<float>(d.class_names.size()) && v == std::floor(v));
  }
  if (!d.feature_mean.empty()) {
    FUZZ_ASSERT(static_cast<int64_t>(d.feature_mean.size()) == d.features);
    FUZZ_ASSERT(static_cast<int64_t>(d.feature_std.size()) == d.features);
    for (float s : d.feature_std) FUZZ_ASSERT(std::isfinite(s) && s > 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    check(vgl::parse_csv(reinterpret_cast<const char*>(data), size, options_for(size)));
  } catch (const vgl::Error& e) {
    FUZZ_ASSERT(e.what()[0] != '\0');  // every refusal says why
  }
  return 0;
}
