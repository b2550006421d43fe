//===- Transforms.h - act's rewrite pattern sets ----------------*- C++ -*-===//

#ifndef ACT_DIALECT_ACT_TRANSFORMS_TRANSFORMS_H
#define ACT_DIALECT_ACT_TRANSFORMS_TRANSFORMS_H

namespace mlir {
class RewritePatternSet;

namespace act {

/// Lowers in-bounds 1-D vector transfers to vector.load/store and folds
/// memref views (subviews) into their indices: afterwards every vector
/// access names the memref it touches and where, which is what
/// act-streaming-stores and act-prefetch-rows reason about.
void populateDirectMemRefAccessPatterns(RewritePatternSet &patterns);

} // namespace act
} // namespace mlir

#endif // ACT_DIALECT_ACT_TRANSFORMS_TRANSFORMS_H
