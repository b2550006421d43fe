//===- Target.h - The CPU act compiles for ----------------------*- C++ -*-===//

#ifndef ACT_DIALECT_ACT_TRANSFORMS_TARGET_H
#define ACT_DIALECT_ACT_TRANSFORMS_TARGET_H

#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
namespace act {

/// An x86-64 CPU: its LLVM name and features, and the vector width act
/// tiles for (512 bits with AVX-512, 256 with AVX/AVX2, else 128).
struct TargetInfo {
  std::string triple;
  std::string cpu;
  /// LLVM feature string ("+avx2,+fma,..."); empty when implied by `cpu`.
  std::string features;
  unsigned vectorBits = 128;
  /// Fused multiply-add (FMA3): without it a vector FMA is a libm call.
  bool hasFMA = false;
};

/// Resolves "host" (this machine's CPU and features) or an LLVM x86 CPU name
/// such as "znver4" or "skylake-avx512"; fails with `error` set for a name
/// LLVM does not know.
FailureOr<TargetInfo> resolveTarget(StringRef cpu, std::string &error);

} // namespace act
} // namespace mlir

#endif // ACT_DIALECT_ACT_TRANSFORMS_TARGET_H
