//===- HostTensor.h - Tensors in host memory for act-run ----------*- C++
//-*-===//
//
// A dense, row-major tensor of f16, bf16, f32 or f64 in host memory, with
// the ways act-run makes one: iree-run-module style literals
// ("2x3xf32=1 2 3 4 5 6", "...=random:SEED", "...=splat:V"), .npy files, and
// results copied out of the JIT'ed code; and the ways it shows one: numpy-like
// printing and .npy files.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_RUNNER_HOSTTENSOR_H
#define ACT_RUNNER_HOSTTENSOR_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class Type;
namespace act {
namespace runner {

enum class ElementKind { f16, bf16, f32, f64 };

/// "f16", "bf16", "f32", "f64".
StringRef getElementKindName(ElementKind kind);
/// Bytes per element.
int64_t getElementKindSize(ElementKind kind);
/// The kind of an MLIR float type, or std::nullopt if act-run lacks it.
std::optional<ElementKind> getElementKind(Type type);
/// `value` rounded (to nearest even) to `kind` and back to double.
double roundToKind(ElementKind kind, double value);

/// 64-byte aligned host memory, freed with the tensor.
struct AlignedFree {
  void operator()(void *p) const;
};

class HostTensor {
public:
  HostTensor() = default;
  /// A zero-filled tensor.
  HostTensor(ElementKind kind, ArrayRef<int64_t> shape);
  /// The same, or an error where the size overflows, exceeds this machine's
  /// memory or cannot be allocated: for sizes that come from the user.
  static llvm::Expected<HostTensor> create(ElementKind kind,
                                           ArrayRef<int64_t> shape);

  ElementKind getKind() const { return kind; }
  ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return shape.size(); }
  int64_t getNumElements() const;
  int64_t getSizeInBytes() const {
    return getNumElements() * getElementKindSize(kind);
  }
  void *getData() { return data.get(); }
  const void *getData() const { return data.get(); }

  /// Element `i` (row-major linear index) as a double, exactly.
  double get(int64_t i) const;
  /// Sets element `i` to `value` rounded to the element type.
  void set(int64_t i, double value);

  /// This tensor converted (rounding) to `newKind`.
  HostTensor convertTo(ElementKind newKind) const;

  /// "tensor<2x3xf32>", or "tensor<f32>" for rank 0.
  std::string getTypeString() const;

private:
  ElementKind kind = ElementKind::f32;
  SmallVector<int64_t> shape;
  std::unique_ptr<char, AlignedFree> data;
};

/// The bytes of a tensor of `kind` and `shape`, or an error naming its
/// type where that overflows or is more than this machine's memory.
llvm::Expected<uint64_t> checkTensorBytes(ElementKind kind,
                                          ArrayRef<int64_t> shape);

/// Parses an --input value: "@file.npy", "SHAPExTYPE=v1 v2 ..." (values
/// separated by spaces or commas), "SHAPExTYPE=random:SEED" (uniform in
/// [-8, 8), the same on every machine) or "SHAPExTYPE=splat:V". A shape-less
/// "f32=1.5" is a scalar (rank 0).
llvm::Expected<HostTensor> parseInputSpec(StringRef spec);

/// Reads a .npy file (format 1.0, 2.0 or 3.0; little-endian <f2, <f4 or <f8;
/// C order).
llvm::Expected<HostTensor> readNpy(StringRef path);
/// Writes format 1.0 .npy; bf16 has no numpy dtype and is written as <f4.
llvm::Error writeNpy(StringRef path, const HostTensor &tensor);

/// Prints the type line then the values in nested brackets, numpy-like;
/// tensors of more than 1000 elements show the first and last 3 entries of
/// each dimension longer than 6 around "...".
void printTensor(llvm::raw_ostream &os, const HostTensor &tensor);

/// "[3, 5]" for linear index `index` in `shape`.
std::string formatIndex(ArrayRef<int64_t> shape, int64_t index);

} // namespace runner
} // namespace act
} // namespace mlir

#endif // ACT_RUNNER_HOSTTENSOR_H
