//===- Transforms.h - act's CPU code generation patterns --------*- C++ -*-===//
//
// The pattern sets behind act's CPU passes, for compilers that run them in
// their own drivers.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_CODEGEN_CPU_TRANSFORMS_H
#define ACT_CODEGEN_CPU_TRANSFORMS_H

namespace mlir {
class RewritePatternSet;

namespace act {

/// act-fuse-elementwise's patterns: upstream's elementwise fusion of
/// linalg.generic ops, applied only where the consumer reads each element
/// of the producer once (no recomputation), with the reshape propagation
/// and canonicalizations that let chains fuse.
void populateFuseElementwisePatterns(RewritePatternSet &patterns);

} // namespace act
} // namespace mlir

#endif // ACT_CODEGEN_CPU_TRANSFORMS_H
