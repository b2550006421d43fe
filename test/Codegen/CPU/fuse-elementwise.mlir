// RUN: act-opt %s --split-input-file --act-fuse-elementwise | FileCheck %s

// An elementwise chain fuses into one generic, as upstream's
// linalg-fuse-elementwise-ops does.
// CHECK-LABEL: func.func @chain
// CHECK:     linalg.generic
// CHECK:       math.exp
// CHECK:       arith.mulf
// CHECK-NOT: linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @chain(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}

// -----

// dX = dZ W^T with dZ = dY * exp(Z), as act-differentiate writes it: the
// contraction reads each element of dZ once per column of W, so the producer
// stays a loop of its own (fused, it would be recomputed 64 times per
// element and the contraction would no longer be a matmul).
// CHECK-LABEL: func.func @contraction_consumer
// CHECK:     %[[DZ:.*]] = linalg.generic
// CHECK:       math.exp
// CHECK:     linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]{{.*}} ins(%{{.*}}, %[[DZ]] :
// CHECK-NOT:   math.exp
#id = affine_map<(d0, d1) -> (d0, d1)>
#w = affine_map<(d0, d1, d2) -> (d2, d1)>
#z = affine_map<(d0, d1, d2) -> (d0, d1)>
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
func.func @contraction_consumer(%w: tensor<64x48xf32>, %dy: tensor<24x48xf32>, %zz: tensor<24x48xf32>) -> tensor<24x64xf32> {
  %e = tensor.empty() : tensor<24x48xf32>
  %dz = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%dy, %zz : tensor<24x48xf32>, tensor<24x48xf32>) outs(%e : tensor<24x48xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = math.exp %b : f32
    %r = arith.mulf %a, %t : f32
    linalg.yield %r : f32
  } -> tensor<24x48xf32>
  %c0 = arith.constant 0.0 : f32
  %eo = tensor.empty() : tensor<24x64xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%eo : tensor<24x64xf32>) -> tensor<24x64xf32>
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

// A unit dimension left by a keepdim reduction (LayerNorm's mean, 8x1) moves
// through the elementwise ops, but not into the dense layer they feed nor out
// of it: the matmul keeps its two loops and its rank (as a 8x1x32x16
// contraction act-lower-contractions did not match it, and a GPT-2 block ran
// 200 times slower).
// CHECK-LABEL: func.func @reshape_stops_at_contraction
// CHECK:     linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// CHECK:     %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<8x1x16xf32> into tensor<8x16xf32>
// CHECK:     %[[MM:.*]] = linalg.matmul ins(%[[X]], %{{.*}} : tensor<8x16xf32>, tensor<16x32xf32>)
// CHECK-NOT: tensor.expand_shape %[[MM]]
// CHECK:     linalg.generic {{.*}} ins(%[[MM]] :
// CHECK-NOT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
#row = affine_map<(d0, d1) -> (d0, d1)>
#bc = affine_map<(d0, d1) -> (d0)>
func.func @reshape_stops_at_contraction(%x: tensor<8x16xf32>, %mean: tensor<8x1xf32>, %w: tensor<16x32xf32>) -> tensor<8x32xf32> {
  %m = tensor.collapse_shape %mean [[0, 1]] : tensor<8x1xf32> into tensor<8xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %c = linalg.generic {indexing_maps = [#row, #bc, #row], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<8x16xf32>, tensor<8xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<8x16xf32>
  %c0 = arith.constant 0.0 : f32
  %eo = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%eo : tensor<8x32xf32>) -> tensor<8x32xf32>
  %mm = linalg.matmul ins(%c, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  %g = linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<8x32xf32>) outs(%eo : tensor<8x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  } -> tensor<8x32xf32>
  return %g : tensor<8x32xf32>
}
