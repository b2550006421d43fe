//===- act-fuzz.cpp - libFuzzer entry points for act ----------------------===//
//
// Each input is MLIR text run through act as act-opt and act-run would:
// parse, verify, canonicalize, act-to-llvm, and the JIT for small functions
// (lib/Fuzz). Built twice: act-fuzz mutates bytes; act-fuzz-structured
// (ACT_FUZZ_STRUCTURED) mutates act programs token by token. With
// ACT_FUZZ_STATS set, prints at exit how far the inputs got.
//
//===----------------------------------------------------------------------===//

#include "act/Fuzz/Fuzz.h"

#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace mlir::act;

static std::unique_ptr<fuzz::Target> target;
static unsigned long stageCounts[static_cast<int>(fuzz::Stage::numStages)];
static double stageSeconds[static_cast<int>(fuzz::Stage::numStages)];

static void printStats() {
  for (int s = 0; s < static_cast<int>(fuzz::Stage::numStages); ++s)
    std::fprintf(stderr, "act-fuzz: %s: %lu (%.1f s)\n",
                 fuzz::getStageName(static_cast<fuzz::Stage>(s)).data(),
                 stageCounts[s], stageSeconds[s]);
}

// As the sanitizer suite runs every tool (test/sanitizer/sanitizer_env.py):
// LLVM's BumpPtrAllocator, inlined into act's instrumented code, poisons
// memory that the uninstrumented libMLIR.so then uses.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  target = std::make_unique<fuzz::Target>();
  if (std::getenv("ACT_FUZZ_STATS"))
    std::atexit(printStats);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto start = std::chrono::steady_clock::now();
  fuzz::Stage stage = target->runOneInput(
      llvm::StringRef(reinterpret_cast<const char *>(data), size));
  ++stageCounts[static_cast<int>(stage)];
  stageSeconds[static_cast<int>(stage)] +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return 0;
}

#ifdef ACT_FUZZ_STRUCTURED
extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  return fuzz::mutate(data, size, maxSize, seed, LLVMFuzzerMutate);
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1,
                                            const uint8_t *data2, size_t size2,
                                            uint8_t *out, size_t maxOutSize,
                                            unsigned seed) {
  return fuzz::crossOver(data1, size1, data2, size2, out, maxOutSize, seed);
}
#endif
