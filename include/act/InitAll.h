//===- InitAll.h - Register everything act provides -------------*- C++ -*-===//
//
// For tools and for compilers that embed act: one call each to make act's
// dialects and passes known.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_INITALL_H
#define ACT_INITALL_H

namespace mlir {
class DialectRegistry;

namespace act {

/// Adds the act dialect (and the dialects its ops fold to) to `registry`.
void registerAllDialects(DialectRegistry &registry);

/// Registers act's passes and pass pipelines with the global registry.
void registerAllPasses();

} // namespace act
} // namespace mlir

#endif // ACT_INITALL_H
