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
    into `linalg.generic`, which `linalg-fuse-elementwise-ops` merges into
    their consumers: a bias written as `linalg.broadcast` then `arith.addf`
    becomes one operand of the activation's loop, read with a broadcasting
    indexing map. `linalg.fill` and `linalg.transpose` stay named: the
    tiler treats fills specially and `act-lower-contractions` reads a
    transposed operand in place.
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

def ActParallelizePass : Pass<"act-parallelize", "func::FuncOp"> {
  let summary = "Turn the loops marked act.parallel into scf.parallel";
  let description = [{
    On bufferized code: every outermost `scf.for` carrying the `act.parallel`
    marker (set by the passes that emit kernels, on loops whose iterations
    write disjoint parts of their outputs: the N panels of a matmul, the rows
    of a row kernel, the tiles of an elementwise loop) and no loop-carried
    values becomes an `scf.parallel`, which `convert-scf-to-openmp` then
    distributes over threads in contiguous chunks (a static schedule). Each
    iteration keeps its own temporary buffers (a packed panel, a row of
    `exp`), so this runs before any pass that hoists buffers out of loops.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

#endif // ACT_CODEGEN_CPU_PASSES
