// RUN: act-opt %s --verify-roundtrip | FileCheck %s
// RUN: act-opt %s --mlir-print-op-generic | act-opt --verify-roundtrip | FileCheck %s

// Every op in its custom form, with default and explicit parameters, on the
// element types and container kinds the dialect accepts.

// CHECK-LABEL: func @unary_defaults
func.func @unary_defaults(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: act.step %{{.*}} : tensor<4x8xf32>
  %0 = act.step %x : tensor<4x8xf32>
  // CHECK: act.linear %{{.*}} : tensor<4x8xf32>
  %1 = act.linear %0 : tensor<4x8xf32>
  // CHECK: act.sigmoid %{{.*}} : tensor<4x8xf32>
  %2 = act.sigmoid %1 : tensor<4x8xf32>
  // CHECK: act.hard_sigmoid %{{.*}} : tensor<4x8xf32>
  %3 = act.hard_sigmoid %2 : tensor<4x8xf32>
  // CHECK: act.log_sigmoid %{{.*}} : tensor<4x8xf32>
  %4 = act.log_sigmoid %3 : tensor<4x8xf32>
  // CHECK: act.tanh %{{.*}} : tensor<4x8xf32>
  %5 = act.tanh %4 : tensor<4x8xf32>
  // CHECK: act.hard_tanh %{{.*}} : tensor<4x8xf32>
  %6 = act.hard_tanh %5 : tensor<4x8xf32>
  // CHECK: act.tanhshrink %{{.*}} : tensor<4x8xf32>
  %7 = act.tanhshrink %6 : tensor<4x8xf32>
  // CHECK: act.softshrink %{{.*}} : tensor<4x8xf32>
  %8 = act.softshrink %7 : tensor<4x8xf32>
  // CHECK: act.hardshrink %{{.*}} : tensor<4x8xf32>
  %9 = act.hardshrink %8 : tensor<4x8xf32>
  // CHECK: act.softsign %{{.*}} : tensor<4x8xf32>
  %10 = act.softsign %9 : tensor<4x8xf32>
  // CHECK: act.relu %{{.*}} : tensor<4x8xf32>
  %11 = act.relu %10 : tensor<4x8xf32>
  // CHECK: act.relu6 %{{.*}} : tensor<4x8xf32>
  %12 = act.relu6 %11 : tensor<4x8xf32>
  // CHECK: act.leaky_relu %{{.*}} : tensor<4x8xf32>
  %13 = act.leaky_relu %12 : tensor<4x8xf32>
  // CHECK: act.rrelu %{{.*}} : tensor<4x8xf32>
  %14 = act.rrelu %13 : tensor<4x8xf32>
  // CHECK: act.elu %{{.*}} : tensor<4x8xf32>
  %15 = act.elu %14 : tensor<4x8xf32>
  // CHECK: act.celu %{{.*}} : tensor<4x8xf32>
  %16 = act.celu %15 : tensor<4x8xf32>
  // CHECK: act.selu %{{.*}} : tensor<4x8xf32>
  %17 = act.selu %16 : tensor<4x8xf32>
  // CHECK: act.gelu %{{.*}} : tensor<4x8xf32>
  %18 = act.gelu %17 : tensor<4x8xf32>
  // CHECK: act.silu %{{.*}} : tensor<4x8xf32>
  %19 = act.silu %18 : tensor<4x8xf32>
  // CHECK: act.swish %{{.*}} : tensor<4x8xf32>
  %20 = act.swish %19 : tensor<4x8xf32>
  // CHECK: act.mish %{{.*}} : tensor<4x8xf32>
  %21 = act.mish %20 : tensor<4x8xf32>
  // CHECK: act.softplus %{{.*}} : tensor<4x8xf32>
  %22 = act.softplus %21 : tensor<4x8xf32>
  // CHECK: act.hardswish %{{.*}} : tensor<4x8xf32>
  %23 = act.hardswish %22 : tensor<4x8xf32>
  return %23 : tensor<4x8xf32>
}

// CHECK-LABEL: func @unary_parameters
func.func @unary_parameters(%x: tensor<16xf32>) -> tensor<16xf32> {
  // CHECK: act.threshold %{{.*}} {threshold = 1.000000e-01 : f64, value = 2.000000e+01 : f64} : tensor<16xf32>
  %0 = act.threshold %x {threshold = 0.1 : f64, value = 20.0 : f64} : tensor<16xf32>
  // CHECK: act.linear %{{.*}} {alpha = 2.000000e+00 : f64, beta = 1.000000e+00 : f64} : tensor<16xf32>
  %1 = act.linear %0 {alpha = 2.0 : f64, beta = 1.0 : f64} : tensor<16xf32>
  // CHECK: act.hard_sigmoid %{{.*}} {alpha = 2.000000e-01 : f64} : tensor<16xf32>
  %2 = act.hard_sigmoid %1 {alpha = 0.2 : f64} : tensor<16xf32>
  // CHECK: act.hard_tanh %{{.*}} {max_val = 2.000000e+00 : f64, min_val = -3.000000e+00 : f64} : tensor<16xf32>
  %3 = act.hard_tanh %2 {min_val = -3.0 : f64, max_val = 2.0 : f64} : tensor<16xf32>
  // CHECK: act.softshrink %{{.*}} {lambd = 1.000000e+00 : f64} : tensor<16xf32>
  %4 = act.softshrink %3 {lambd = 1.0 : f64} : tensor<16xf32>
  // CHECK: act.hardshrink %{{.*}} {lambd = 0.000000e+00 : f64} : tensor<16xf32>
  %5 = act.hardshrink %4 {lambd = 0.0 : f64} : tensor<16xf32>
  // CHECK: act.leaky_relu %{{.*}} {negative_slope = 2.000000e-01 : f64} : tensor<16xf32>
  %6 = act.leaky_relu %5 {negative_slope = 0.2 : f64} : tensor<16xf32>
  // CHECK: act.rrelu %{{.*}} {lower = 1.000000e-01 : f64, upper = 3.000000e-01 : f64} : tensor<16xf32>
  %7 = act.rrelu %6 {lower = 0.1 : f64, upper = 0.3 : f64} : tensor<16xf32>
  // CHECK: act.elu %{{.*}} {alpha = 5.000000e-01 : f64} : tensor<16xf32>
  %8 = act.elu %7 {alpha = 0.5 : f64} : tensor<16xf32>
  // CHECK: act.celu %{{.*}} {alpha = 2.000000e+00 : f64} : tensor<16xf32>
  %9 = act.celu %8 {alpha = 2.0 : f64} : tensor<16xf32>
  // CHECK: act.gelu %{{.*}} approximate = tanh : tensor<16xf32>
  %10 = act.gelu %9 approximate = tanh : tensor<16xf32>
  // CHECK: act.gelu %{{.*}} : tensor<16xf32>
  %11 = act.gelu %10 approximate = none : tensor<16xf32>
  // CHECK: act.swish %{{.*}} {beta = 1.500000e+00 : f64} : tensor<16xf32>
  %12 = act.swish %11 {beta = 1.5 : f64} : tensor<16xf32>
  // CHECK: act.softplus %{{.*}} {beta = 2.000000e+00 : f64, threshold = 1.000000e+01 : f64} : tensor<16xf32>
  %13 = act.softplus %12 {beta = 2.0 : f64, threshold = 10.0 : f64} : tensor<16xf32>
  return %13 : tensor<16xf32>
}

// CHECK-LABEL: func @element_types_and_containers
func.func @element_types_and_containers(%a: f16, %b: bf16, %c: f64, %d: vector<16xf32>,
    %e: tensor<2x3x4xbf16>, %f: tensor<?x8xf16>, %g: f32) -> (f16, bf16, f64, vector<16xf32>, tensor<2x3x4xbf16>, tensor<?x8xf16>, f32) {
  // CHECK: act.gelu %{{.*}} : f16
  %0 = act.gelu %a : f16
  // CHECK: act.silu %{{.*}} : bf16
  %1 = act.silu %b : bf16
  // CHECK: act.mish %{{.*}} : f64
  %2 = act.mish %c : f64
  // CHECK: act.tanh %{{.*}} : vector<16xf32>
  %3 = act.tanh %d : vector<16xf32>
  // CHECK: act.elu %{{.*}} : tensor<2x3x4xbf16>
  %4 = act.elu %e : tensor<2x3x4xbf16>
  // CHECK: act.relu %{{.*}} : tensor<?x8xf16>
  %5 = act.relu %f : tensor<?x8xf16>
  // CHECK: act.prelu %{{.*}}, %{{.*}} : f32, f32
  %6 = act.prelu %g, %g : f32, f32
  return %0, %1, %2, %3, %4, %5, %6 : f16, bf16, f64, vector<16xf32>, tensor<2x3x4xbf16>, tensor<?x8xf16>, f32
}

// CHECK-LABEL: func @prelu
func.func @prelu(%x: tensor<2x3x5xf32>, %shared: tensor<1xf32>, %per_channel: tensor<3xf32>,
                 %v: vector<4x6xf16>, %vs: vector<6xf16>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, vector<4x6xf16>) {
  // CHECK: act.prelu %{{.*}}, %{{.*}} : tensor<2x3x5xf32>, tensor<1xf32>
  %0 = act.prelu %x, %shared : tensor<2x3x5xf32>, tensor<1xf32>
  // CHECK: act.prelu %{{.*}}, %{{.*}} : tensor<2x3x5xf32>, tensor<3xf32>
  %1 = act.prelu %x, %per_channel : tensor<2x3x5xf32>, tensor<3xf32>
  // CHECK: act.prelu %{{.*}}, %{{.*}} : vector<4x6xf16>, vector<6xf16>
  %2 = act.prelu %v, %vs : vector<4x6xf16>, vector<6xf16>
  return %0, %1, %2 : tensor<2x3x5xf32>, tensor<2x3x5xf32>, vector<4x6xf16>
}

// CHECK-LABEL: func @along_a_dim
func.func @along_a_dim(%x: tensor<4x8xf32>, %v: vector<6xf64>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x4xf32>, tensor<2x8xf32>, tensor<4x2xf32>, vector<3xf64>, vector<6xf64>) {
  // CHECK: act.softmax %{{.*}} : tensor<4x8xf32>
  %0 = act.softmax %x : tensor<4x8xf32>
  // CHECK: act.log_softmax %{{.*}} {dim = 0 : i64} : tensor<4x8xf32>
  %1 = act.log_softmax %x {dim = 0 : i64} : tensor<4x8xf32>
  // CHECK: act.softmin %{{.*}} {dim = -2 : i64} : tensor<4x8xf32>
  %2 = act.softmin %x {dim = -2 : i64} : tensor<4x8xf32>
  // CHECK: act.glu %{{.*}} : tensor<4x8xf32> -> tensor<4x4xf32>
  %3 = act.glu %x : tensor<4x8xf32> -> tensor<4x4xf32>
  // CHECK: act.glu %{{.*}} {dim = 0 : i64} : tensor<4x8xf32> -> tensor<2x8xf32>
  %4 = act.glu %x {dim = 0 : i64} : tensor<4x8xf32> -> tensor<2x8xf32>
  // CHECK: act.maxout %{{.*}} {groups = 4 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>
  %5 = act.maxout %x {groups = 4 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>
  // CHECK: act.maxout %{{.*}} {dim = 0 : i64, groups = 2 : i64} : vector<6xf64> -> vector<3xf64>
  %6 = act.maxout %v {groups = 2 : i64, dim = 0 : i64} : vector<6xf64> -> vector<3xf64>
  // CHECK: act.softmax %{{.*}} : vector<6xf64>
  %7 = act.softmax %v : vector<6xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x4xf32>, tensor<2x8xf32>, tensor<4x2xf32>, vector<3xf64>, vector<6xf64>
}
