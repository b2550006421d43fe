//===- Passes.td - act's CPU code generation passes --------*- tablegen -*-===//

#ifndef ACT_CODEGEN_CPU_PASSES
#define ACT_CODEGEN_CPU_PASSES

include "mlir/Pass/PassBase.td"

def ActGeneralizeElementwisePass
    : Pass<"act-generalize-elementwise", "func::FuncOp"> {
  let summary = "Generalize named elementwise linalg ops so they can fuse";
  let description = [{
    Rewrites named linalg ops whose loops are all parallel (`linalg.broadcast`,
    `linalg.map`, `linalg.elementwise`, `linalg.add`, `linalg.copy`, ...)
    into `linalg.generic`, which `act-fuse-elementwise` merges into
    their consumers: a bias written as `linalg.broadcast` then `arith.addf`
    becomes one operand of the activation's loop, read with a broadcasting
    indexing map. `linalg.fill` and `linalg.transpose` stay named: the
    tiler treats fills specially and `act-lower-contractions` reads a
    transposed operand in place.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def ActFuseElementwisePass : Pass<"act-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse elementwise producers into consumers that read each "
                "element once";
  let description = [{
    Upstream's elementwise fusion (`linalg::populateElementwiseOpsFusionPatterns`)
    with act's control: a producer with one use is fused into its consumer
    only where the consumer reads each of the producer's elements once, that
    is, where the operand's indexing map uses every loop of the consumer.
    Into a contraction (a matmul written as `linalg.generic`, as
    `act-differentiate` writes dX = dZ·Wᵀ), fusion would recompute the
    producer for every element of the other operand: gelu's backward once
    per multiply-add, and the contraction would no longer be one that
    `act-lower-contractions` compiles (it took 3.9 s instead of 13 ms). A
    bias or a row statistic read through a broadcasting map is not fused
    either; the loop nest then reads it from memory.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def ActLowerContractionsPass
    : Pass<"act-lower-contractions", "func::FuncOp"> {
  let summary = "Register-blocked matmul kernels with fused epilogues";
  let description = [{
    Rewrites every contraction on tensors (`linalg.matmul`, with or without
    transposed `indexing_maps`, `linalg.batch_matmul`, and `linalg.generic`
    contractions with one M, N and K dimension and any batch dimensions)
    into loops of vector code, together with the elementwise
    `linalg.generic` that consumes its result (bias adds, activations,
    residual adds, products with another tensor), when that op is its only
    user:

    - the loop over N panels (`NR` columns) is outermost and marked
      `act.parallel`; each panel of B is packed once into a contiguous
      `K x NR` buffer (zero-padded past N) that stays in L2 while every row
      block uses it; a constant B is packed at compile time instead;
    - the micro-kernel keeps an `MR x NR` tile of accumulators in vector
      registers (6 x 16 f32 on AVX2, 12 x 32 on AVX-512) and, for each k,
      broadcasts MR elements of A and issues `MR * NR / lanes` FMAs;
    - the epilogue applies the consumer's body to each row of accumulators
      while they are in registers, then stores each result once; columns
      past N are masked, rows past the last full block run a kernel of
      the remaining height (one row at a time when M is dynamic).

    A few rows (M <= 4) against a B read along K that is not a constant (a
    transposed weight given at run time) take a dot-product form instead:
    blocks of columns in parallel, vector accumulators along K, a sum across
    lanes, then the epilogue; B is read once, in place.

    Tile sizes come from one place per op (`selectContractionConfig`, from
    the vector width and the shape). Code size does not depend on the
    problem size. A contraction whose result has another user, or whose
    consumer reads it through a non-identity map or has a body op that
    cannot be applied to vectors, is lowered alone and its consumer is left
    to `act-tile-and-vectorize`.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Width of the target's vector registers, in bits">,
    Option<"fma", "fma", "bool", /*default=*/"true",
           "Whether the target has fused multiply-add (otherwise mul + add)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ActLowerAttentionPass : Pass<"act-lower-attention", "func::FuncOp"> {
  let summary = "Fuse a contraction with the row softmax that consumes it, "
                "and attention into one flash-style kernel";
  let description = [{
    Matches a contraction (`linalg.matmul`, `linalg.batch_matmul`, with or
    without transposed `indexing_maps` or a `linalg.transpose` of an
    operand, or a `linalg.generic` contraction with any batch loops), the
    elementwise ops applied to its result (a scale, an additive mask read
    through a broadcasting map, a causal mask written with `linalg.index`
    and `arith.select`), and the `act.softmax`, `act.log_softmax` or
    `act.softmin` of that along the last dimension, on static f32 tensors.
    No intermediate value may have another user: the scores would then be
    needed in memory, and the ops are left as they are.

    - **Scores** (the probabilities are the result): for each block of rows
      (in parallel over batch and blocks), each panel of NR columns is
      computed by the contraction's micro-kernel (an MR x NR tile of
      accumulators in registers; B packed once into K x NR panels), the
      elementwise chain is applied in registers, the tile is written once
      and the running row maxima are updated; then each row of the block,
      still in cache, is normalized: `exp(x - max)` and its sum, then the
      product with `1 / sum` (or `x - max - log(sum)`).
    - **Attention**: when the softmax's only user is a contraction `P V`
      (P read as [batch..., rows, keys], V along its last dimension), the
      scores are never stored. Keys stream through cache in blocks; for
      each block and each MR-row tile, the tile's scores go to a small
      buffer, the row maxima `m` and sums `l` are updated online
      (`l = l exp(m_old - m) + sum exp(s - m)`), the output accumulators
      are rescaled by `exp(m_old - m)` and `P V` of the block is added with
      the same micro-kernel; at the end `O / l`. While a row's scores are
      all -inf the shift is 0, so a fully masked row ends as `0 / 0 = NaN`,
      what the unfused softmax gives.

    Blocking comes from `selectAttentionConfig`.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Width of the target's vector registers, in bits">,
    Option<"fma", "fma", "bool", /*default=*/"true",
           "Whether the target has fused multiply-add (otherwise mul + add)">,
    Option<"math", "math", "::mlir::act::math::MathMode",
           /*default=*/"::mlir::act::math::MathMode::precise",
           "How the exponentials are computed (as in act-expand-math)",
           [{::llvm::cl::values(
             clEnumValN(::mlir::act::math::MathMode::precise, "precise",
                        "act's approximations"),
             clEnumValN(::mlir::act::math::MathMode::fast, "fast",
                        "MLIR's polynomial approximations"))}]>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ActParallelizePass : Pass<"act-parallelize", "ModuleOp"> {
  let summary = "Split the loops marked act.parallel into one chunk per thread";
  let description = [{
    On bufferized code: every outermost `scf.for` carrying the `act.parallel`
    marker (set by the passes that emit kernels, on loops whose iterations
    write disjoint parts of their outputs: the N panels of a matmul, the rows
    of a row kernel, the tiles of an elementwise loop) and no loop-carried
    values is split into `threads` contiguous chunks of whole iterations: an
    `scf.parallel` over the chunks, each running the original loop over its
    range. `convert-scf-to-openmp` then gives each thread one chunk. The
    loop itself stays an `scf.for`, so what works on it (streaming stores,
    row prefetch, hoisting a per-iteration buffer out of it, which then
    becomes per thread) works as with one thread.

    A scratch buffer allocated outside the loop (hoisted there, and of no
    use after it) that the loop writes gets one copy per chunk; buffers the
    loop only reads stay shared.

    `threads=0` takes the count at run time from `omp_get_max_threads()`
    (all cores, or `OMP_NUM_THREADS`).

    A loop whose static trip counts show less than `min-parallel-work`
    (2^17) elements of vector work stays sequential: forking and joining the threads would cost
    more than the loop (the MLP training step of examples/mlp-training ran
    4x slower on two threads than on one before).
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Chunks per loop (0: omp_get_max_threads() at run time)">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"1 << 17",
           "Loops with less vector work than this (elements, from static "
           "trip counts) stay sequential">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def ActThreadLocalAllocasPass
    : Pass<"act-thread-local-allocas", "func::FuncOp"> {
  let summary = "Per-thread stack buffers for OpenMP worksharing loops";
  let description = [{
    After `convert-scf-to-openmp`: moves the statically sized
    `memref.alloca`s of a worksharing loop's body (a chunk's row buffers,
    promoted to the stack) from the `memref.alloca_scope` the conversion
    wraps each iteration in to the start of the enclosing `omp.parallel`
    region, which every thread runs once: each thread keeps its own
    buffers, reused by the chunks it runs one after another. The scope, then
    free of allocas, is inlined by `canonicalize`, so that the loop body can
    be lowered to blocks.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

#endif // ACT_CODEGEN_CPU_PASSES
