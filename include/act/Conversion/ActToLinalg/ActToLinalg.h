//===- ActToLinalg.h - Expand act ops into linalg ---------------*- C++ -*-===//

#ifndef ACT_CONVERSION_ACTTOLINALG_ACTTOLINALG_H
#define ACT_CONVERSION_ACTTOLINALG_ACTTOLINALG_H

#include "act/Dialect/Act/Transforms/MathEmitter.h"

namespace mlir {
class RewritePatternSet;

namespace act {

/// Patterns that rewrite every act op into linalg, tensor, arith and math
/// ops (see the convert-act-to-linalg pass).
void populateActToLinalgPatterns(RewritePatternSet &patterns,
                                 math::MathMode mode = math::MathMode::precise);

} // namespace act
} // namespace mlir

#endif // ACT_CONVERSION_ACTTOLINALG_ACTTOLINALG_H
