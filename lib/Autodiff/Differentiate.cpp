//===- Differentiate.cpp - Reverse-mode differentiation of functions ------===//
//
// act-differentiate: @NAME_vjp = NAME's forward computation, then the
// reverse sweep that DifferentiableOpInterface builds op by op
// (act::propagateAdjoints). The pass knows no op: every rule is the op's.
//
//===----------------------------------------------------------------------===//

#include "act/Autodiff/Passes.h"
#include "act/Interfaces/DifferentiableOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Inliner.h"
#include "mlir/Transforms/InliningUtils.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTDIFFERENTIATEPASS
#include "act/Autodiff/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

bool isFloatTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<FloatType>(tensor.getElementType());
}

/// Inlines, into `func`, every func.call of a function with a body (and
/// the calls those bring), so that the reverse sweep sees the ops.
static LogicalResult inlineCalls(func::FuncOp func) {
  InlinerInterface interface(func.getContext());
  InlinerConfig config;
  for (int depth = 0; depth < 32; ++depth) {
    SmallVector<func::CallOp> calls;
    func.walk([&](func::CallOp call) { calls.push_back(call); });
    bool inlined = false;
    for (func::CallOp call : calls) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr());
      if (!callee || callee.isExternal())
        continue;
      if (failed(inlineCall(interface, config.getCloneCallback(), call, callee,
                            &callee.getBody())))
        return call.emitOpError("cannot be inlined for differentiation");
      call.erase();
      inlined = true;
    }
    if (!inlined)
      return success();
  }
  return func.emitOpError("cannot be differentiated: calls nest more than 32 "
                          "deep (recursion?)");
}

struct DifferentiatePass final
    : act::impl::ActDifferentiatePassBase<DifferentiatePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (function.empty()) {
      module.emitError("act-differentiate needs function=NAME");
      return signalPassFailure();
    }
    auto func = module.lookupSymbol<func::FuncOp>(function);
    if (!func) {
      module.emitError("act-differentiate: no function named '")
          << function << "'";
      return signalPassFailure();
    }
    if (failed(differentiate(func)))
      signalPassFailure();
  }

  LogicalResult differentiate(func::FuncOp func) {
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return func.emitOpError(
          "cannot be differentiated: it needs a body of one block");
    FunctionType type = func.getFunctionType();
    unsigned numArgs = type.getNumInputs();

    // The arguments to differentiate with respect to.
    SmallVector<unsigned> targets;
    if (wrt.empty()) {
      for (unsigned i = 0; i < numArgs; ++i)
        if (isFloatTensor(type.getInput(i)))
          targets.push_back(i);
    } else {
      for (unsigned i : wrt) {
        if (i >= numArgs || !isFloatTensor(type.getInput(i)))
          return func.emitOpError("cannot be differentiated with respect to "
                                  "argument #")
                 << i << ": it is not a floating-point tensor argument";
        targets.push_back(i);
      }
      // Gradients come in argument order, each once.
      llvm::sort(targets);
      targets.erase(llvm::unique(targets), targets.end());
    }

    SmallVector<Type> inputs(type.getInputs());
    llvm::append_range(inputs, type.getResults());
    SmallVector<Type> results(type.getResults());
    for (unsigned i : targets)
      results.push_back(type.getInput(i));

    // A declaration of @NAME_vjp (so that other functions of the module can
    // call it before it exists) is replaced by the definition.
    std::string name = (func.getSymName() + "_vjp").str();
    ModuleOp module = getOperation();
    OpBuilder b(module.getContext());
    if (Operation *existing = module.lookupSymbol(name)) {
      auto declaration = dyn_cast<func::FuncOp>(existing);
      if (!declaration || !declaration.isExternal())
        return func.emitOpError("cannot be differentiated: @")
               << name << " already exists";
      FunctionType expected = b.getFunctionType(inputs, results);
      if (declaration.getFunctionType() != expected)
        return declaration.emitOpError("declares the gradient of @")
               << func.getSymName() << " with type "
               << declaration.getFunctionType() << ", but it is " << expected;
      declaration.erase();
    }
    b.setInsertionPointAfter(func);
    auto vjp = cast<func::FuncOp>(b.clone(*func));
    vjp.setSymName(name);
    vjp.setPublic();
    vjp.setType(b.getFunctionType(inputs, results));
    // Argument attributes are dropped: they describe NAME's arguments only.
    vjp.removeArgAttrsAttr();
    vjp.removeResAttrsAttr();
    if (failed(inlineCalls(vjp)))
      return failure();
    Block &body = vjp.getBody().front();
    SmallVector<Value> cotangents;
    for (Type t : type.getResults())
      cotangents.push_back(body.addArgument(t, vjp.getLoc()));

    // Activity: what depends on the targets.
    DenseSet<Value> active;
    for (unsigned i : targets)
      active.insert(body.getArgument(i));
    SmallVector<Operation *> ops;
    for (Operation &op : body.without_terminator()) {
      ops.push_back(&op);
      if (llvm::any_of(op.getOperands(),
                       [&](Value v) { return active.contains(v); }))
        active.insert(op.result_begin(), op.result_end());
    }

    auto ret = cast<func::ReturnOp>(body.getTerminator());
    DenseMap<Value, Value> adjoints;
    b.setInsertionPoint(ret);
    for (auto [value, cotangent] : llvm::zip(ret.getOperands(), cotangents)) {
      if (!active.contains(value))
        continue;
      Value &adjoint = adjoints[value];
      adjoint = buildGradientSum(b, ret.getLoc(), adjoint, cotangent);
    }
    if (failed(propagateAdjoints(
            b, ops, adjoints, [&](Value v) { return active.contains(v); }))) {
      vjp.erase();
      return func.emitError("act-differentiate failed for @")
             << func.getSymName();
    }

    SmallVector<Value> returned(ret.getOperands());
    for (unsigned i : targets) {
      Value arg = body.getArgument(i);
      Value gradient = adjoints.lookup(arg);
      returned.push_back(gradient ? gradient
                                  : buildZerosLike(b, ret.getLoc(), arg));
    }
    func::ReturnOp::create(b, ret.getLoc(), returned);
    ret.erase();

    // Rules build every operand's gradient, and linalg rules read every
    // operand of the op: canonicalization drops what nothing needs.
    MLIRContext *ctx = module.getContext();
    RewritePatternSet patterns(ctx);
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, ctx);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    (void)applyPatternsGreedily(vjp, std::move(patterns));
    return success();
  }
};

} // namespace
