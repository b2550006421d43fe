//===- ActActivations.h - The elementwise activations as a set --*- C++ -*-===//
//
// The act ops that are elementwise activations with a formula of one input,
// `template <typename T> T forward(T x)` (see Act_UnaryOp in ActOps.td),
// for code that handles all of them alike: the lowering registers a pattern
// per op, the runner's interpreter and the accuracy sweep evaluate the
// double-precision reference (and the interpreter the derivative, to carry
// error bounds through the op).
//
//===----------------------------------------------------------------------===//

#ifndef ACT_DIALECT_ACT_IR_ACTACTIVATIONS_H
#define ACT_DIALECT_ACT_IR_ACTACTIVATIONS_H

#include "act/Dialect/Act/IR/ActOps.h"

#include <functional>
#include <type_traits>
#include <utility>

namespace mlir {
namespace act {
namespace detail {
template <typename OpT, typename = void>
struct HasUnaryForward : std::false_type {};
template <typename OpT>
struct HasUnaryForward<
    OpT,
    std::void_t<decltype(std::declval<OpT &>().template forward<double>(0.0))>>
    : std::true_type {};

template <typename OpT, typename = void>
struct HasUnaryBackward : std::false_type {};
template <typename OpT>
struct HasUnaryBackward<
    OpT, std::void_t<decltype(std::declval<OpT &>().template backward<double>(
             0.0, 0.0))>> : std::true_type {};

template <typename Fn, typename... OpTs>
void forEachUnaryActivationGradIn(Fn &&fn) {
  auto visit = [&](auto *tag) {
    using OpT = std::remove_pointer_t<decltype(tag)>;
    if constexpr (HasUnaryBackward<OpT>::value)
      fn(tag);
  };
  (visit(static_cast<OpTs *>(nullptr)), ...);
}

template <typename Fn, typename... OpTs>
void forEachUnaryActivationIn(Fn &&fn) {
  auto visit = [&](auto *tag) {
    using OpT = std::remove_pointer_t<decltype(tag)>;
    if constexpr (HasUnaryForward<OpT>::value)
      fn(tag);
  };
  (visit(static_cast<OpTs *>(nullptr)), ...);
}
} // namespace detail

/// Calls `fn(static_cast<OpT *>(nullptr))` for every elementwise activation
/// op class OpT.
template <typename Fn>
void forEachUnaryActivation(Fn &&fn) {
  detail::forEachUnaryActivationIn<Fn,
#define GET_OP_LIST
#include "act/Dialect/Act/IR/ActOps.cpp.inc"
                                   >(std::forward<Fn>(fn));
}

/// Calls `fn(static_cast<OpT *>(nullptr))` for every backward op OpT of an
/// elementwise activation (Act_UnaryGradOp).
template <typename Fn>
void forEachUnaryActivationGrad(Fn &&fn) {
  detail::forEachUnaryActivationGradIn<Fn,
#define GET_OP_LIST
#include "act/Dialect/Act/IR/ActOps.cpp.inc"
                                       >(std::forward<Fn>(fn));
}

/// The double-precision reference of `op` (an elementwise activation, with
/// its parameters), or an empty function if `op` is not one.
std::function<double(double)> getUnaryReference(Operation *op);

/// The derivative of `op`'s reference, d(activation)/dx at x in double (its
/// `derivative<double>`), or an empty function if `op` is not an elementwise
/// activation.
std::function<double(double)> getUnaryDerivative(Operation *op);

/// For a backward op of an elementwise activation (Act_UnaryGradOp): f'
/// as a function of its `source` operand in double (its
/// `derivativeAt<double>`: from x, or from y with from_output), or an empty
/// function for any other op.
std::function<double(double)> getUnaryGradDerivative(Operation *op);

} // namespace act
} // namespace mlir

#endif // ACT_DIALECT_ACT_IR_ACTACTIVATIONS_H
