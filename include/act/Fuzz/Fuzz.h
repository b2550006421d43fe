//===- Fuzz.h - act-fuzz's target and structure-aware mutator ---*- C++ -*-===//
//
// What tools/act-fuzz runs on each input: MLIR text is parsed with every
// dialect act-opt knows, verified, canonicalized and lowered with act-to-llvm;
// small functions with static shapes are then JIT-compiled and called. And
// the mutator of its structure-aware variant, which edits act programs as
// text (ops, attributes, shapes, element types) so that most mutants still
// parse. Plain functions, so that a test or another driver can use them.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_FUZZ_FUZZ_H
#define ACT_FUZZ_FUZZ_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace mlir {
class MLIRContext;
namespace act {
namespace fuzz {

/// How far one input got.
enum class Stage {
  parseFailed,        // not MLIR, or rejected by a verifier while parsing
  tooBig,             // a type with more elements than FuzzLimits allows
  canonicalizeFailed, // canonicalize failed (or produced invalid IR)
  pipelineFailed,     // act-to-llvm failed on IR that verified
  lowered,            // lowered; nothing small enough to run
  ran,                // lowered, and at least one function JIT-run
  numStages
};
StringRef getStageName(Stage stage);

struct FuzzLimits {
  /// Inputs with a type (of a value or inside an attribute) of more elements
  /// are not canonicalized or lowered: folding a splat of that type would
  /// allocate it at compile time.
  int64_t maxElements = 1 << 16;
  /// Functions are JIT-run only when every argument and result is static
  /// with at most this many elements.
  int64_t maxRunElements = 4096;
  /// At most this many functions of one input are JIT-compiled and run.
  unsigned maxRunFunctions = 2;
  bool run = true;
};

/// The fuzz target. Keeps one context (with every dialect loaded, which is
/// slow to make) and replaces it every `contextLifetime` inputs, so that the
/// types and attributes it uniques do not grow without bound.
class Target {
public:
  explicit Target(FuzzLimits limits = {}, unsigned contextLifetime = 1000);
  ~Target();
  Stage runOneInput(StringRef text);

private:
  FuzzLimits limits;
  unsigned contextLifetime, inputs = 0;
  std::unique_ptr<MLIRContext> context;
};

/// The element count of a static `shape`, or -1 if the product overflows.
int64_t getElementCount(ArrayRef<int64_t> shape);

/// One structure-aware mutation of the act program in data[0, size) in
/// place (at most maxSize bytes); returns the new size. `fallback` is
/// libFuzzer's byte-level LLVMFuzzerMutate, used on a share of the calls
/// and when no structural edit applies.
size_t mutate(uint8_t *data, size_t size, size_t maxSize, unsigned seed,
              llvm::function_ref<size_t(uint8_t *, size_t, size_t)> fallback);

/// Splices an act op's mnemonic and attributes from `b` into an act op of
/// `a`, keeping `a`'s operands and types; writes at most maxSize bytes to
/// `out` and returns the size (0 when nothing applies).
size_t crossOver(const uint8_t *a, size_t sizeA, const uint8_t *b, size_t sizeB,
                 uint8_t *out, size_t maxSize, unsigned seed);

} // namespace fuzz
} // namespace act
} // namespace mlir

#endif // ACT_FUZZ_FUZZ_H
