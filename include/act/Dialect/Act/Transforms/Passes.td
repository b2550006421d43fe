//===- Passes.td - act transformation passes ---------------*- tablegen -*-===//

#ifndef ACT_DIALECT_ACT_TRANSFORMS_PASSES
#define ACT_DIALECT_ACT_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def ActTileAndVectorizePass : Pass<"act-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tile, fuse and vectorize linalg ops on tensors for the CPU";
  let description = [{
    Two levels, on linalg ops on ranked tensors:

    1. Every root op (one whose result no other linalg op consumes) of rank
       >= 2 is tiled by 1 along all but its innermost loop, and its
       producers are fused into that loop nest when their reductions run
       along the innermost loop only. A softmax thus becomes one loop over
       rows whose body holds the max, the sum and the normalization of one
       row, which stays in cache between them.
    2. Every linalg op is then tiled along its innermost loop by the vector
       length times `unroll`: a parallel loop directly, a reduction by
       partial reduction into a vector of accumulators merged once at the
       end. The loop's last, partial iteration is peeled off, so the main
       loop runs on full vectors and only the tail is masked. All linalg
       ops are then vectorized and unit vector dimensions dropped.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Width of the target's vector registers, in bits">,
    Option<"unroll", "unroll", "unsigned", /*default=*/"4",
           "Vector registers per tile along the innermost loop">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ActExpandMathPass : Pass<"act-expand-math"> {
  let summary = "Replace math ops with act's branch-free approximations";
  let description = [{
    Rewrites `math.exp`, `math.expm1`, `math.log1p`, `math.log`,
    `math.tanh`, `math.erf` and `math.erfc` on f32 and f64 scalars and
    vectors (and on f16/bf16, through f32) into branch-free arithmetic that
    vectorizes and never calls libm:

    - `math=precise` (default): act's own approximations
      (include/act/Math/VectorMath.h), within the ulp bounds of
      docs/Accuracy.md;
    - `math=fast`: MLIR's polynomial approximations (fewer operations,
      looser bounds) for f32. MLIR has none for f64, so f64 takes act's
      approximations in this mode too.
  }];
  let options = [
    Option<"math", "math", "::mlir::act::math::MathMode",
           /*default=*/"::mlir::act::math::MathMode::precise",
           "How accurately transcendentals are computed",
           [{::llvm::cl::values(
             clEnumValN(::mlir::act::math::MathMode::precise, "precise",
                        "act's approximations, within docs/Accuracy.md's bounds"),
             clEnumValN(::mlir::act::math::MathMode::fast, "fast",
                        "MLIR's polynomial approximations"))}]>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ActStreamingStoresPass : Pass<"act-streaming-stores", "func::FuncOp"> {
  let summary = "Non-temporal stores for large outputs written once";
  let description = [{
    On bufferized code: a loop whose full-register `vector.store`s (or
    in-bounds `vector.transfer_write`s) write a memref of at least
    `min-bytes`, at offsets that are whole multiples of a register, and
    that nothing after the loop reads, and that computes little per stored
    register (at most `max-ops-per-store` vector operations; a longer loop
    is compute-bound and gains nothing), is versioned on the alignment of the
    memrefs' base pointers. When they are register-aligned it runs with
    non-temporal, aligned stores, which write the output without first
    reading each line into the cache (the read-for-ownership an ordinary
    store pays); otherwise it runs as before. One `sfence` before each
    return orders the streaming stores before anything the caller does
    next.

    Results do not change, only how they reach memory; outputs smaller than
    `min-bytes` stay in the cache for whatever consumes them next.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Width of the target's vector registers, in bits">,
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"16777216",
           "Smallest output, in bytes, written with streaming stores">,
    Option<"maxOpsPerStore", "max-ops-per-store", "int64_t",
           /*default=*/"16",
           "Most vector operations per stored register of a loop that gets "
           "streaming stores (more means compute-bound)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ActPrefetchRowsPass : Pass<"act-prefetch-rows", "func::FuncOp"> {
  let summary = "Prefetch the next row of a multi-pass row kernel, and heavy streams ahead";
  let description = [{
    On bufferized code: in a loop over rows (step 1) whose body makes
    several passes over a row, the first of them loading the row of a
    function argument from memory (softmax's max, log_softmax's max), the
    pass with the most vector work (softmax's exp) prefetches the same
    columns of the next row into L2. The first pass then finds its row in
    cache, and memory works while the core computes instead of in turns.

    Also, an innermost loop that streams two or more function arguments
    (the backward activations: dy and x or y in, dx out) prefetches each
    stream 2 KiB ahead. The hardware prefetcher alone left these loops
    waiting on memory in turns with the arithmetic (at 16M elements, silu's
    backward 11.7 -> 35 GB/s, relu's from y 39 -> 52 GB/s, 0.9 of the
    streaming triad). A loop over one stream gains nothing and is left
    alone.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ActSetTargetPass : Pass<"act-set-target", "ModuleOp"> {
  let summary = "Record the target CPU on the module and its LLVM functions";
  let description = [{
    Sets the module's `llvm.target_triple` and every `llvm.func`'s
    `target_cpu` and `target_features`, so that `mlir-translate
    --mlir-to-llvmir` output compiles for that CPU (with `llc`, or a JIT).
    Fails with an error for a CPU that LLVM does not know, and for any op
    left outside the LLVM dialect (it ends act-to-llvm, so this is where an
    op the pipeline cannot lower is reported).
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"host\"",
           "'host' or an LLVM x86-64 CPU name (znver4, skylake-avx512, ...)">,
  ];
}

#endif // ACT_DIALECT_ACT_TRANSFORMS_PASSES
