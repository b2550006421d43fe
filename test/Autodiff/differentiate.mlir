// RUN: act-opt %s --split-input-file --act-differentiate=function=f | FileCheck %s

// The rules the pass applies, and its contract: @f_vjp takes f's arguments
// and one cotangent per result, returns f's results and one gradient per
// float tensor argument.

// x is used twice (by gelu and by the product): its two gradients add up.
// sigmoid is differentiated from its output, gelu from its input.
// CHECK-LABEL: func.func @f_vjp(
// CHECK-SAME: %[[X:.*]]: tensor<8xf32>, %[[DY:.*]]: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
// CHECK: %[[G:.*]] = act.gelu %[[X]]
// CHECK: %[[S:.*]] = act.sigmoid %[[G]]
// CHECK: %[[P:.*]] = arith.mulf %[[S]], %[[X]]
// CHECK-DAG: %[[DS:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[DY]] :
// CHECK-DAG: %[[DX1:.*]] = linalg.generic {{.*}} ins(%[[S]], %[[DY]] :
// CHECK: %[[DG:.*]] = act.sigmoid_grad %[[DS]], %[[S]] from_output
// CHECK: %[[DX2:.*]] = act.gelu_grad %[[DG]], %[[X]] :
// CHECK: %[[DX:.*]] = arith.addf %[[DX1]], %[[DX2]]
// CHECK: return %[[P]], %[[DX]]
func.func @f(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = act.gelu %x : tensor<8xf32>
  %z = act.sigmoid %y : tensor<8xf32>
  %w = arith.mulf %z, %x : tensor<8xf32>
  return %w : tensor<8xf32>
}

// -----

// A dense layer: dX = dZ W^T and dW = X^T dZ are contractions (reducing over
// N and over M), db a sum over the rows; relu's rule reads its output.
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[WMAP:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[ZMAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @f_vjp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8xf32>, %[[W:[^:]*]]: tensor<8x16xf32>, %[[B:[^:]*]]: tensor<16xf32>, %[[DY:[^:]*]]: tensor<4x16xf32>)
// CHECK-SAME: -> (tensor<4x16xf32>, tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>)
// CHECK: %[[R:.*]] = act.relu
// CHECK: %[[DZ:.*]] = act.relu_grad %[[DY]], %[[R]] from_output
// CHECK: %[[DB:.*]] = linalg.generic {{{.*}}iterator_types = ["reduction", "parallel"]} ins(%[[DZ]] : tensor<4x16xf32>) outs(%{{.*}} : tensor<16xf32>)
// CHECK: arith.addf
// CHECK: %[[DX:.*]] = linalg.generic {indexing_maps = [#[[WMAP]], #[[ZMAP]], #[[XMAP]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[W]], %[[DZ]] :
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[DW:.*]] = linalg.generic {indexing_maps = [#[[XMAP]], #[[ZMAP]], #[[WMAP]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%[[X]], %[[DZ]] :
// CHECK: return %[[R]], %[[DX]], %[[DW]], %[[DB]]
func.func @f(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  %c0 = arith.constant 0.0 : f32
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  %bb = linalg.broadcast ins(%b : tensor<16xf32>) outs(%e : tensor<4x16xf32>) dimensions = [0]
  %s = arith.addf %m, %bb : tensor<4x16xf32>
  %r = act.relu %s : tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// A mean over a reshaped tensor: its gradient is the cotangent divided by the
// count, broadcast back and reshaped. The unused argument gets zeros; the
// integer one gets no gradient.
// CHECK-LABEL: func.func @f_vjp(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8xf32>, %[[U:[^:]*]]: tensor<3xf32>, %[[L:[^:]*]]: tensor<4xi64>, %[[DY:[^:]*]]: tensor<f32>)
// CHECK-SAME: -> (tensor<f32>, tensor<4x8xf32>, tensor<3xf32>)
// CHECK: %[[DS:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[DY]] : tensor<f32>, tensor<f32>)
// CHECK: arith.divf
// CHECK: %[[DE:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[DS]] : tensor<f32>) outs(%{{.*}} : tensor<4x2x4xf32>)
// CHECK: %[[DX:.*]] = tensor.collapse_shape %[[DE]] {{\[\[}}0], [1, 2]] : tensor<4x2x4xf32> into tensor<4x8xf32>
// CHECK: %[[DU:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK: return %{{.*}}, %[[DX]], %[[DU]]
func.func @f(%x: tensor<4x8xf32>, %unused: tensor<3xf32>, %labels: tensor<4xi64>) -> tensor<f32> {
  %e = tensor.empty() : tensor<f32>
  %c0 = arith.constant 0.0 : f32
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = tensor.expand_shape %x [[0], [1, 2]] output_shape [4, 2, 4] : tensor<4x8xf32> into tensor<4x2x4xf32>
  %s = linalg.reduce ins(%r : tensor<4x2x4xf32>) outs(%z : tensor<f32>) dimensions = [0, 1, 2]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %n = arith.constant dense<32.0> : tensor<f32>
  %m = arith.divf %s, %n : tensor<f32>
  return %m : tensor<f32>
}

// -----

// An operand read through a constant index into a unit dimension (torch-mlir's
// keepdim maps): its gradient is summed into [4] and expanded back to [4, 1].
// CHECK-LABEL: func.func @f_vjp(
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<4x8xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK: arith.negf
// CHECK: %[[DM:.*]] = tensor.expand_shape %[[S]] {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DM]]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#kd = affine_map<(d0, d1) -> (d0, 0)>
func.func @f(%x: tensor<4x8xf32>, %m: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %d = linalg.generic {indexing_maps = [#id2, #kd, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

// -----

// A call to a function with a body is inlined first: the sweep sees its ops.
// CHECK-LABEL: func.func @f_vjp(
// CHECK-NOT: call
// CHECK: act.log_softmax_grad
// CHECK: act.gelu_grad
// CHECK-NOT: call
// CHECK: return
func.func private @layer(%x: tensor<8x16xf32>, %w: tensor<16x12xf32>) -> tensor<8x12xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x12xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<8x12xf32>) -> tensor<8x12xf32>
  %m = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x12xf32>) outs(%f : tensor<8x12xf32>) -> tensor<8x12xf32>
  %g = act.gelu %m : tensor<8x12xf32>
  return %g : tensor<8x12xf32>
}
func.func @f(%x: tensor<8x16xf32>, %w: tensor<16x12xf32>) -> tensor<8x12xf32> {
  %h = func.call @layer(%x, %w) : (tensor<8x16xf32>, tensor<16x12xf32>) -> tensor<8x12xf32>
  %l = act.log_softmax %h : tensor<8x12xf32>
  return %l : tensor<8x12xf32>
}
