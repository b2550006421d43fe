// RUN: act-opt %s --split-input-file | act-opt --split-input-file | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: act-opt %s --split-input-file --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: act-opt %s --split-input-file --convert-act-to-linalg | FileCheck %s --check-prefix=LOWER

// The backward ops print, parse, fold through the double reference and lower
// to one linalg.generic (softmax's: a row sum, then one elementwise loop).

// ROUNDTRIP-LABEL: func @roundtrip
// ROUNDTRIP: act.relu_grad %{{.*}}, %{{.*}} from_output : tensor<4xf32>
// ROUNDTRIP: act.gelu_grad %{{.*}}, %{{.*}} approximate = tanh : tensor<4xf32>
// ROUNDTRIP: act.elu_grad %{{.*}}, %{{.*}} from_output {alpha = 5.000000e-01 : f64} : tensor<4xf32>
// ROUNDTRIP: act.softplus_grad %{{.*}}, %{{.*}} {beta = 2.000000e+00 : f64} : f64
// ROUNDTRIP: act.log_softmax_grad %{{.*}}, %{{.*}} {dim = 0 : i64} : tensor<4xf32>
func.func @roundtrip(%dy: tensor<4xf32>, %x: tensor<4xf32>, %s: f64)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, f64, tensor<4xf32>) {
  %0 = act.relu_grad %dy, %x from_output : tensor<4xf32>
  %1 = act.gelu_grad %dy, %x approximate = tanh : tensor<4xf32>
  %2 = act.elu_grad %dy, %x from_output {alpha = 0.5 : f64} : tensor<4xf32>
  %3 = act.softplus_grad %s, %s {beta = 2.0 : f64} : f64
  %4 = act.log_softmax_grad %dy, %x {dim = 0 : i64} : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, f64, tensor<4xf32>
}

// -----

// ROUNDTRIP-LABEL: func @roundtrip_shaped
// ROUNDTRIP: act.prelu_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3x8xf32>, tensor<3xf32>
// ROUNDTRIP: act.glu_grad %{{.*}}, %{{.*}} : tensor<4x4xf32> -> tensor<4x8xf32>
// ROUNDTRIP: act.maxout_grad %{{.*}}, %{{.*}} {groups = 2 : i64} : tensor<4x4xf32> -> tensor<4x8xf32>
// LOWER-LABEL: func @roundtrip_shaped
// The slope's gradient is a sum over dims 0 and 2 into the channels.
// LOWER: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// LOWER: linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction"]{{.*}} outs(%{{.*}} : tensor<3xf32>)
// glu: two halves, inserted into one tensor.
// LOWER: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [4, 4] [1, 1]
// LOWER: tensor.insert_slice %{{.*}} into %{{.*}}[0, 4] [4, 4] [1, 1]
// maxout: the max and the count of ties per group, then dx.
// LOWER: tensor.expand_shape {{.*}} into tensor<4x4x2xf32>
// LOWER: arith.maximumf
// LOWER: arith.cmpf oeq
// LOWER: arith.divf
// LOWER: tensor.collapse_shape {{.*}} into tensor<4x8xf32>
func.func @roundtrip_shaped(%dy: tensor<2x3x8xf32>, %x: tensor<2x3x8xf32>,
                            %s: tensor<3xf32>, %dh: tensor<4x4xf32>,
                            %g: tensor<4x8xf32>)
    -> (tensor<2x3x8xf32>, tensor<3xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %dx, %ds = act.prelu_grad %dy, %x, %s : tensor<2x3x8xf32>, tensor<3xf32>
  %0 = act.glu_grad %dh, %g : tensor<4x4xf32> -> tensor<4x8xf32>
  %1 = act.maxout_grad %dh, %g {groups = 2 : i64} : tensor<4x4xf32> -> tensor<4x8xf32>
  return %dx, %ds, %0, %1 : tensor<2x3x8xf32>, tensor<3xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// relu'(x) at -1, -0, 0, 2 and NaN is 0, 0, 0, 1, 1 (relu'(0) = 0 as in
// PyTorch); dy = 3 except a NaN dy at -1, which still gives +0.
// sigmoid'(0) = 1/4 from y = 1/2: 2 * 0.25. tanh'(x) from y = 0.5: 1 - 0.25.
// gelu'(1) = Phi(1) + phi(1) = 0.84134475 + 0.24197072 = 1.08331547 (f32: 1.08331549).
// FOLD-LABEL: func @fold
// FOLD-DAG: arith.constant dense<[0.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00, 3.000000e+00]> : tensor<5xf32>
// FOLD-DAG: arith.constant 5.000000e-01 : f32
// FOLD-DAG: arith.constant 7.500000e-01 : f32
// FOLD-DAG: arith.constant 1.08331549 : f32
// FOLD-NOT: act.
// FOLD: return
func.func @fold() -> (tensor<5xf32>, f32, f32, f32) {
  %dy = arith.constant dense<[0x7FC00000, 3.0, 3.0, 3.0, 3.0]> : tensor<5xf32>
  %x = arith.constant dense<[-1.0, -0.0, 0.0, 2.0, 0x7FC00000]> : tensor<5xf32>
  %0 = act.relu_grad %dy, %x : tensor<5xf32>
  %two = arith.constant 2.0 : f32
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %1 = act.sigmoid_grad %two, %half from_output : f32
  %2 = act.tanh_grad %one, %half from_output : f32
  %3 = act.gelu_grad %one, %one : f32
  return %0, %1, %2, %3 : tensor<5xf32>, f32, f32, f32
}

// -----

// LOWER-LABEL: func @lower
// LOWER: linalg.generic
// LOWER-SAME: iterator_types = ["parallel", "parallel"]
// LOWER-SAME: ins(%arg0, %arg1 : tensor<2x8xf32>, tensor<2x8xf32>)
// LOWER: arith.cmpf ogt
// LOWER: arith.select
// LOWER: arith.mulf
// LOWER: linalg.yield
// LOWER-NOT: act.
// LOWER: return
// The softmax backward from y: sum(dy * y) along the rows, then y (dy - s).
// LOWER-LABEL: func @lower_softmax
// LOWER: linalg.generic
// LOWER-SAME: iterator_types = ["parallel", "reduction"]
// LOWER: arith.mulf
// LOWER: arith.addf
// LOWER: linalg.generic
// LOWER-SAME: iterator_types = ["parallel", "parallel"]
// LOWER: arith.subf
// LOWER: arith.mulf
// LOWER-NOT: act.
// LOWER: return
func.func @lower(%dy: tensor<2x8xf32>, %y: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = act.leaky_relu_grad %dy, %y from_output {negative_slope = 0.1 : f64} : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}
func.func @lower_softmax(%dy: tensor<2x8xf32>, %y: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = act.softmax_grad %dy, %y : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}
