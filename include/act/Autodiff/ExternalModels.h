//===- ExternalModels.h - Derivative rules of upstream ops ------*- C++ -*-===//

#ifndef ACT_AUTODIFF_EXTERNALMODELS_H
#define ACT_AUTODIFF_EXTERNALMODELS_H

namespace mlir {
class DialectRegistry;

namespace act {

/// Attaches DifferentiableOpInterface to linalg structured ops, the
/// elementwise arith and math ops, and tensor reshapes, slices and casts.
void registerDifferentiableExternalModels(DialectRegistry &registry);

} // namespace act
} // namespace mlir

#endif // ACT_AUTODIFF_EXTERNALMODELS_H
