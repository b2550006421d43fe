// RUN: act-opt %s --split-input-file --act-generalize-elementwise --linalg-fuse-elementwise-ops --act-lower-contractions="vector-bits=256" --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: act-opt %s --split-input-file --act-generalize-elementwise --linalg-fuse-elementwise-ops --act-lower-contractions="vector-bits=512" --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,AVX512

// A dense layer: matmul, bias (linalg.broadcast + addf) and relu become one
// loop nest: N panels (parallel) > row blocks > k, with the bias add and the
// max applied to the accumulators before their single store.
// CHECK-LABEL: func.func @dense_bias_relu
// CHECK-NOT:     linalg.
// A's full row blocks are packed once, interleaved by row, for all panels.
// AVX2:          bufferization.alloc_tensor() : tensor<10x64x6xf32>
// AVX512:        bufferization.alloc_tensor() : tensor<5x64x12xf32>
// CHECK:         %[[PA:.*]] = scf.for
// CHECK:           tensor.extract %arg0
// CHECK:           vector.from_elements
// CHECK:         } {act.parallel}
// CHECK:         scf.for %[[P:.*]] = %c0 to %[[PANELS:.*]] step %c1 iter_args(%[[OUT:.*]] = %{{.*}})
// CHECK:           %[[J:.*]] = arith.muli %[[P]]
// CHECK:           %[[PACKED:.*]] = bufferization.alloc_tensor() : tensor<64x[[NR:16|32]]xf32>
// CHECK:           scf.for {{.*}} iter_args(%{{.*}} = %[[PACKED]])
// CHECK:             vector.transfer_read %arg1[%{{.*}}, %[[J]]], %{{.*}} {in_bounds = [true]} : tensor<64x256xf32>, vector<[[NR]]xf32>
// CHECK:           scf.for %[[I:.*]] = %c0 to %{{.*}} step %[[MR:c6|c12]]
// AVX2:              scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// AVX512:            scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK:               vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<64x[[NR]]xf32>, vector<[[NR]]xf32>
// CHECK:               tensor.extract %[[PA]][%{{.*}}, %{{.*}}, %c0]
// CHECK:               vector.broadcast
// CHECK:               vector.fma
// CHECK:             %[[BIAS:.*]] = vector.transfer_read %arg2[%[[J]]]
// CHECK:             %[[Z:.*]] = arith.addf %{{.*}}, %[[BIAS]] : vector<[[NR]]xf32>
// CHECK:             %[[Y:.*]] = arith.maximumf %[[Z]], %{{.*}} : vector<[[NR]]xf32>
// CHECK:             vector.transfer_write %[[Y]], %{{.*}}[%[[I]], %[[J]]] {in_bounds = [true]}
// CHECK-NOT:     linalg.
// CHECK:         } {act.parallel}
func.func @dense_bias_relu(%x: tensor<60x64xf32>, %w: tensor<64x256xf32>, %b: tensor<256xf32>) -> tensor<60x256xf32> {
  %e = tensor.empty() : tensor<60x256xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<60x256xf32>) -> tensor<60x256xf32>
  %m = linalg.matmul ins(%x, %w : tensor<60x64xf32>, tensor<64x256xf32>) outs(%f : tensor<60x256xf32>) -> tensor<60x256xf32>
  %bb = linalg.broadcast ins(%b : tensor<256xf32>) outs(%e : tensor<60x256xf32>) dimensions = [0]
  %a = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m, %bb : tensor<60x256xf32>, tensor<60x256xf32>) outs(%e : tensor<60x256xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  }  -> tensor<60x256xf32>
  return %a : tensor<60x256xf32>
}

// -----

// The matmul's result is also returned: the epilogue is not fused (its input
// must be in memory), the matmul alone is lowered and stores its
// accumulators, and the generic stays for act-tile-and-vectorize.
// CHECK-LABEL: func.func @refuse_second_user
// CHECK:         %[[MM:.*]] = scf.for {{.*}} -> (tensor<12x64xf32>)
// CHECK:           vector.fma
// CHECK-NOT:       math.tanh
// CHECK:         } {act.parallel}
// CHECK:         %[[T:.*]] = linalg.generic {{.*}} ins(%[[MM]] : tensor<12x64xf32>)
// CHECK:           math.tanh
// CHECK:         return %[[MM]], %[[T]]
func.func @refuse_second_user(%x: tensor<12x8xf32>, %w: tensor<8x64xf32>) -> (tensor<12x64xf32>, tensor<12x64xf32>) {
  %e = tensor.empty() : tensor<12x64xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<12x64xf32>) -> tensor<12x64xf32>
  %m = linalg.matmul ins(%x, %w : tensor<12x8xf32>, tensor<8x64xf32>) outs(%f : tensor<12x64xf32>) -> tensor<12x64xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<12x64xf32>) outs(%e : tensor<12x64xf32>) {
  ^bb0(%p: f32, %o: f32):
    %r = math.tanh %p : f32
    linalg.yield %r : f32
  }  -> tensor<12x64xf32>
  return %m, %t : tensor<12x64xf32>, tensor<12x64xf32>
}

// -----

// nn.Linear as torch-mlir emits it: a transposed weight. B is read in place
// through the transpose (no transposed copy), one element at a time into the
// packed panel. N = 20 leaves a partial panel at column 16: its stores may
// run out of bounds (no in_bounds attribute: masked); M = 7 leaves row 6 past
// the last full block of 6 rows (AVX2).
// CHECK-LABEL: func.func @linear_transposed_weight
// CHECK-NOT:     linalg.transpose
// CHECK:         bufferization.alloc_tensor()
// CHECK:           tensor.extract %arg1[%{{.*}}, %{{.*}}] : tensor<20x9xf32>
// CHECK:           vector.insert
// AVX2:          vector.transfer_write %{{.*}}[%c5, %c16] : vector<16xf32>, tensor<7x20xf32>
// AVX2:          vector.transfer_write %{{.*}}[%c6, %c16] : vector<16xf32>, tensor<7x20xf32>
func.func @linear_transposed_weight(%x: tensor<7x9xf32>, %w: tensor<20x9xf32>) -> tensor<7x20xf32> {
  %e = tensor.empty() : tensor<9x20xf32>
  %wt = linalg.transpose ins(%w : tensor<20x9xf32>) outs(%e : tensor<9x20xf32>) permutation = [1, 0]
  %o = tensor.empty() : tensor<7x20xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<7x20xf32>) -> tensor<7x20xf32>
  %m = linalg.matmul ins(%x, %wt : tensor<7x9xf32>, tensor<9x20xf32>) outs(%f : tensor<7x20xf32>) -> tensor<7x20xf32>
  return %m : tensor<7x20xf32>
}

// -----

// A constant weight is packed at compile time into [panels, K, NR] (zeros
// past N), so the kernel reads the panel straight from the constant.
// CHECK-LABEL: func.func @constant_weight
// AVX2:          arith.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]> : tensor<1x2x8xf32>
// CHECK-NOT:     bufferization.alloc_tensor
func.func @constant_weight(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %o = tensor.empty() : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<4x3xf32>) -> tensor<4x3xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%f : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %m : tensor<4x3xf32>
}

// -----

// batch_matmul: a loop over the batch around the panels. A dynamic M: full
// row blocks up to M / MR * MR, then the rest one row at a time.
// CHECK-LABEL: func.func @batch_dynamic_m
// CHECK:         %[[B:.*]] = scf.for %[[BATCH:.*]] = %c0 to %c3
// CHECK:           %[[M:.*]] = tensor.dim %arg0, %c1
// CHECK:           arith.divui %[[M]]
// CHECK:           scf.for {{.*}} step %[[MR:c6|c12]]
// CHECK:             tensor.extract %arg0[%[[BATCH]], %{{.*}}, %{{.*}}] : tensor<3x?x5xf32>
// CHECK:           scf.for {{.*}} to %[[M]] step %c1
func.func @batch_dynamic_m(%x: tensor<3x?x5xf32>, %w: tensor<3x5x16xf32>, %init: tensor<3x?x16xf32>) -> tensor<3x?x16xf32> {
  %m = linalg.batch_matmul ins(%x, %w : tensor<3x?x5xf32>, tensor<3x5x16xf32>) outs(%init : tensor<3x?x16xf32>) -> tensor<3x?x16xf32>
  return %m : tensor<3x?x16xf32>
}

// -----

// dX = dZ W^T as act-differentiate writes it: the weight is the first
// operand, so C is indexed (n, m) in inferContractionDims's terms. The
// operands swap roles and the micro-kernel runs (it was a scalar loop nest at
// 0.7 GFLOP/s): dZ is the A operand (rows broadcast), W is packed into
// panels.
// CHECK-LABEL: func.func @weight_first
// CHECK-NOT:     linalg.generic
// CHECK:         bufferization.alloc_tensor()
// AVX2:          scf.for %{{.*}} = %c0 to %c48 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// AVX512:        scf.for %{{.*}} = %c0 to %c48 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK:           vector.fma
#w = affine_map<(d0, d1, d2) -> (d2, d1)>
#z = affine_map<(d0, d1, d2) -> (d0, d1)>
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
func.func @weight_first(%w: tensor<64x48xf32>, %dz: tensor<24x48xf32>) -> tensor<24x64xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x64xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<24x64xf32>) -> tensor<24x64xf32>
  %g = linalg.generic {indexing_maps = [#w, #z, #x], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%w, %dz : tensor<64x48xf32>, tensor<24x48xf32>) outs(%f : tensor<24x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %b, %a : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<24x64xf32>
  return %g : tensor<24x64xf32>
}

// -----

// One row against a transposed weight given at run time (nn.Linear at batch
// 1 as torch-mlir writes it): no packing; blocks of 8 columns in parallel,
// each a dot product along K in vector accumulators, summed across lanes at
// the end, then the epilogue on the 8 sums; the K tail (100 = 12 x 8 + 4 on
// AVX2, 6 x 16 + 4 on AVX-512) is one masked step.
// CHECK-LABEL: func @gemv_transposed_weight
// CHECK-NOT: linalg.matmul
// CHECK-NOT: bufferization.alloc_tensor
// AVX2: scf.for {{.*}} step %c8 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX512: scf.for {{.*}} step %c16 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.fma
// CHECK: vector.transfer_read %{{.*}} : tensor<40x100xf32>
// CHECK: vector.reduction <add>
// CHECK: vector.from_elements {{.*}} : vector<8xf32>
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<8xf32>, tensor<1x40xf32>
// CHECK: } {act.parallel}
func.func @gemv_transposed_weight(%x: tensor<1x100xf32>, %w: tensor<40x100xf32>) -> tensor<1x40xf32> {
  %e = tensor.empty() : tensor<100x40xf32>
  %wt = linalg.transpose ins(%w : tensor<40x100xf32>) outs(%e : tensor<100x40xf32>) permutation = [1, 0]
  %o = tensor.empty() : tensor<1x40xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<1x40xf32>) -> tensor<1x40xf32>
  %m = linalg.matmul ins(%x, %wt : tensor<1x100xf32>, tensor<100x40xf32>) outs(%f : tensor<1x40xf32>) -> tensor<1x40xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<1x40xf32>) outs(%o : tensor<1x40xf32>) {
  ^bb0(%a: f32, %out: f32):
    %c0 = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %c0 : f32
    linalg.yield %r : f32
  } -> tensor<1x40xf32>
  return %y : tensor<1x40xf32>
}

// -----

// Two rows against a large weight given at run time as [K, N]: K is cut
// into 3 fixed chunks of 334 rows (parallel) with a partial C each; a chunk
// reads 4 rows of B at a time, whole and in order, into its partial rows
// (the last 1001 - 3 x 334 + 1 = 1 row alone). Then C = the partials summed
// in chunk order, with the bias and relu, stored once.
// CHECK-LABEL: func.func @gemv_streamed
// CHECK-NOT: linalg.
// CHECK: %[[P:.*]] = bufferization.alloc_tensor() : tensor<3x2x300xf32>
// CHECK: %[[PS:.*]] = scf.for %[[CH:.*]] = %c0 to %c3 step %c1 iter_args(%{{.*}} = %[[P]])
// CHECK:   arith.muli %[[CH]], %c334
// CHECK:   scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %c4
// AVX512:    scf.for %[[J:.*]] = %c0 to %c288 step %c16
// AVX2:      scf.for %[[J:.*]] = %c0 to %c296 step %c8
// CHECK:       vector.transfer_read %arg1[%[[K]], %[[J]]]
// CHECK-COUNT-3: vector.transfer_read %arg1
// CHECK:       vector.transfer_read %{{.*}}[%[[CH]], %c0, %[[J]]]
// CHECK-COUNT-4: vector.fma
// CHECK:       vector.transfer_write {{.*}}[%[[CH]], %c0, %[[J]]]
// CHECK:       vector.transfer_read %{{.*}}[%[[CH]], %c1, %[[J]]]
// CHECK-COUNT-4: vector.fma
// CHECK:       vector.transfer_write {{.*}}[%[[CH]], %c1, %[[J]]]
// CHECK:   scf.for %{{.*}} step %c1
// CHECK: } {act.parallel}
// CHECK: scf.for %[[J2:.*]] = %c0 to
// CHECK:   %[[P0:.*]] = vector.transfer_read %[[PS]][%c0, %c0, %[[J2]]]
// CHECK:   %[[S0:.*]] = arith.addf %[[P0]], %cst
// CHECK:   %[[P1:.*]] = vector.transfer_read %[[PS]][%c1, %c0, %[[J2]]]
// CHECK:   %[[S1:.*]] = arith.addf %[[S0]], %[[P1]]
// CHECK:   %[[P2:.*]] = vector.transfer_read %[[PS]][%c2, %c0, %[[J2]]]
// CHECK:   %[[S2:.*]] = arith.addf %[[S1]], %[[P2]]
// CHECK:   %[[BIAS:.*]] = vector.transfer_read %arg2[%[[J2]]]
// CHECK:   %[[Z:.*]] = arith.addf %[[S2]], %[[BIAS]]
// CHECK:   arith.maximumf %[[Z]]
// CHECK:   vector.transfer_write {{.*}}[%c0, %[[J2]]] {in_bounds = [true]}
func.func @gemv_streamed(%x: tensor<2x1001xf32>, %w: tensor<1001x300xf32>, %b: tensor<300xf32>) -> tensor<2x300xf32> {
  %e = tensor.empty() : tensor<2x300xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x300xf32>) -> tensor<2x300xf32>
  %m = linalg.matmul ins(%x, %w : tensor<2x1001xf32>, tensor<1001x300xf32>) outs(%f : tensor<2x300xf32>) -> tensor<2x300xf32>
  %bb = linalg.broadcast ins(%b : tensor<300xf32>) outs(%e : tensor<2x300xf32>) dimensions = [0]
  %a = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m, %bb : tensor<2x300xf32>, tensor<2x300xf32>) outs(%e : tensor<2x300xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  }  -> tensor<2x300xf32>
  return %a : tensor<2x300xf32>
}
