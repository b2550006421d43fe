// RUN: act-opt %s | FileCheck %s

// The generic form with no attributes is valid wherever PyTorch has
// defaults, and means PyTorch's defaults.

// CHECK-LABEL: func @generic_defaults
func.func @generic_defaults(%x: tensor<4x8xf32>, %s: tensor<1xf32>) {
  // CHECK: act.linear %{{.*}} : tensor<4x8xf32>
  %0 = "act.linear"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = "act.hard_sigmoid"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = "act.hard_tanh"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %3 = "act.softshrink"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %4 = "act.hardshrink"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %5 = "act.leaky_relu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %6 = "act.rrelu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %7 = "act.elu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %8 = "act.celu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %9 = "act.gelu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %10 = "act.swish"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %11 = "act.softplus"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %12 = "act.softmax"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %13 = "act.log_softmax"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %14 = "act.softmin"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %15 = "act.glu"(%x) : (tensor<4x8xf32>) -> tensor<4x4xf32>
  %16 = "act.prelu"(%x, %s) : (tensor<4x8xf32>, tensor<1xf32>) -> tensor<4x8xf32>
  return
}

// The defaults are PyTorch's: printing generically shows every value.
// RUN: act-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// GENERIC: "act.linear"({{.*}}) <{alpha = 1.000000e+00 : f64, beta = 0.000000e+00 : f64}>
// GENERIC: "act.hard_sigmoid"({{.*}}) <{alpha = 0.16666666666666666 : f64, beta = 5.000000e-01 : f64}>
// GENERIC: "act.hard_tanh"({{.*}}) <{max_val = 1.000000e+00 : f64, min_val = -1.000000e+00 : f64}>
// GENERIC: "act.softshrink"({{.*}}) <{lambd = 5.000000e-01 : f64}>
// GENERIC: "act.hardshrink"({{.*}}) <{lambd = 5.000000e-01 : f64}>
// GENERIC: "act.leaky_relu"({{.*}}) <{negative_slope = 1.000000e-02 : f64}>
// GENERIC: "act.rrelu"({{.*}}) <{lower = 1.250000e-01 : f64, upper = 0.33333333333333331 : f64}>
// GENERIC: "act.elu"({{.*}}) <{alpha = 1.000000e+00 : f64}>
// GENERIC: "act.celu"({{.*}}) <{alpha = 1.000000e+00 : f64}>
// GENERIC: "act.gelu"({{.*}}) <{approximate = #act<approximate none>}>
// GENERIC: "act.swish"({{.*}}) <{beta = 1.000000e+00 : f64}>
// GENERIC: "act.softplus"({{.*}}) <{beta = 1.000000e+00 : f64, threshold = 2.000000e+01 : f64}>
// GENERIC: "act.softmax"({{.*}}) <{dim = -1 : i64}>
// GENERIC: "act.log_softmax"({{.*}}) <{dim = -1 : i64}>
// GENERIC: "act.softmin"({{.*}}) <{dim = -1 : i64}>
// GENERIC: "act.glu"({{.*}}) <{dim = -1 : i64}>
