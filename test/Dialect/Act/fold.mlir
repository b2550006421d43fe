// RUN: act-opt %s --canonicalize --split-input-file | FileCheck %s

// Constant folding through the double-precision reference, rounded to the
// element type. Every expected value was checked against mpmath (40 digits,
// then rounded); NaN's sign bit is not meaningful, so it is not matched.

// CHECK-LABEL: func @fold_scalar_f32
// CHECK: arith.constant 0.622459352 : f32
// CHECK: arith.constant 0.345731229 : f32
// CHECK: arith.constant 3.457140e-01 : f32
// CHECK-NOT: act.
func.func @fold_scalar_f32() -> (f32, f32, f32) {
  %c = arith.constant 0.5 : f32
  %0 = act.sigmoid %c : f32
  %1 = act.gelu %c : f32
  %2 = act.gelu %c approximate = tanh : f32
  return %0, %1, %2 : f32, f32, f32
}

// -----

// CHECK-LABEL: func @fold_splat
// CHECK: arith.constant dense<-1.55373967> : tensor<2x3xf32>
// CHECK: arith.constant dense<0.024293676> : tensor<2x3xf32>
// CHECK-NOT: act.
func.func @fold_splat() -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %c = arith.constant dense<-1.5> : tensor<2x3xf32>
  %0 = act.elu %c {alpha = 2.0 : f64} : tensor<2x3xf32>
  %1 = act.softplus %c {beta = 2.0 : f64} : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Special values: NaN, +-Inf, -0, a denormal, then ordinary values.
// CHECK-LABEL: func @fold_special_values
// CHECK: arith.constant dense<[0x{{[7F]}}FC00000, 0x7F800000, 0.000000e+00, -0.000000e+00, 1.401300e-45, 0.000000e+00, 3.000000e+00, 3.000000e+01]> : tensor<8xf32>
// CHECK: arith.constant dense<[0x{{[7F]}}FC00000, 0x7F800000, 0x{{[7F]}}FC00000, -0.000000e+00, 0.000000e+00, -0.0155241629, 2.99595022, 3.000000e+01]> : tensor<8xf32>
// CHECK: arith.constant dense<[0x{{[7F]}}FC00000, 0x7F800000, 0x{{[7F]}}FC00000, -0.000000e+00, 0.000000e+00, -0.189645454, 2.85772228, 3.000000e+01]> : tensor<8xf32>
// CHECK: arith.constant dense<[0x{{[7F]}}FC00000, 0x{{[7F]}}FC00000, 0x{{[7F]}}FC00000, -0.000000e+00, 1.401300e-45, -0.714285731, 7.500000e-01, 0.967741906]> : tensor<8xf32>
// CHECK: arith.constant dense<[0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, 1.000000e+00]> : tensor<8xf32>
// CHECK: arith.constant dense<[0x{{[7F]}}FC00000, 0x7F800000, 0x{{[7F]}}FC00000, -0.000000e+00, 0.000000e+00, -0.208333328, 3.000000e+00, 3.000000e+01]> : tensor<8xf32>
// CHECK: arith.constant dense<[0x{{[7F]}}FC00000, 0x7F800000, 0.000000e+00, 0.693147182, 0.693147182, 0.078889735, 3.04858732, 3.000000e+01]> : tensor<8xf32>
// CHECK: arith.constant dense<[0x{{[7F]}}FC00000, 0.000000e+00, 0xFF800000, -0.693147182, -0.693147182, -2.57888985, -0.048587352, -9.35762291E-14]> : tensor<8xf32>
// CHECK-NOT: act.
func.func @fold_special_values() -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %c = arith.constant dense<[0x7FC00000, 0x7F800000, 0xFF800000, -0.0, 1.0e-45, -2.5, 3.0, 30.0]> : tensor<8xf32>
  %0 = act.relu %c : tensor<8xf32>
  %1 = act.gelu %c : tensor<8xf32>
  %2 = act.silu %c : tensor<8xf32>
  %3 = act.softsign %c : tensor<8xf32>
  %4 = act.step %c : tensor<8xf32>
  %5 = act.hardswish %c : tensor<8xf32>
  %6 = act.softplus %c : tensor<8xf32>
  %7 = act.log_sigmoid %c : tensor<8xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Results are rounded to the element type.
// CHECK-LABEL: func @fold_element_types
// CHECK: arith.constant 7.617180e-01 : f16
// CHECK: arith.constant 8.632810e-01 : bf16
// CHECK: arith.constant 1.0507009873554805 : f64
// CHECK: arith.constant dense<[-0.238405839, 0.000000e+00, 0.238405839, 1.03597248]> : vector<4xf32>
// CHECK-NOT: act.
func.func @fold_element_types() -> (f16, bf16, f64, vector<4xf32>) {
  %h = arith.constant 1.0 : f16
  %b = arith.constant 1.0 : bf16
  %d = arith.constant 1.0 : f64
  %v = arith.constant dense<[-1.0, 0.0, 1.0, 2.0]> : vector<4xf32>
  %0 = act.tanh %h : f16
  %1 = act.mish %b : bf16
  %2 = act.selu %d : f64
  %3 = act.tanhshrink %v : vector<4xf32>
  return %0, %1, %2, %3 : f16, bf16, f64, vector<4xf32>
}

// -----

// Per-channel PReLU: channels along dim 1.
// CHECK-LABEL: func @fold_prelu
// CHECK: arith.constant dense<{{\[\[\[}}-2.500000e-01, 2.000000e+00], [-2.000000e+00, -4.000000e+00]], {{\[\[}}3.000000e+00, -5.000000e-01], [-5.000000e-01, 0.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-NOT: act.
func.func @fold_prelu() -> tensor<2x2x2xf32> {
  %x = arith.constant dense<[[[-1.0, 2.0], [-4.0, -8.0]], [[3.0, -2.0], [-1.0, 0.0]]]> : tensor<2x2x2xf32>
  %s = arith.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %0 = act.prelu %x, %s : tensor<2x2x2xf32>, tensor<2xf32>
  return %0 : tensor<2x2x2xf32>
}

// -----

// Every other elementwise op with its default and a non-default parameter.
// CHECK-LABEL: func @fold_all
// CHECK: arith.constant dense<[-9.000000e+00, -9.000000e+00, 2.500000e-01, 7.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[7.500000e+00, 2.000000e+00, 0.000000e+00, -1.350000e+01]> : tensor<4xf32>
// CHECK: arith.constant dense<[0.000000e+00, 3.750000e-01, 0.541666687, 1.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[0.000000e+00, 3.500000e-01, 5.500000e-01, 1.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[-2.000000e+00, -7.500000e-01, 2.500000e-01, 5.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[-3.000000e+00, -2.500000e-01, 0.000000e+00, 6.500000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[-3.500000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[0.000000e+00, 0.000000e+00, 2.500000e-01, 6.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[-3.500000e-02, -7.500000e-03, 2.500000e-01, 7.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[-0.802083313, -1.718750e-01, 2.500000e-01, 7.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[-0.499544054, -0.388434917, 2.500000e-01, 7.000000e+00]> : tensor<4xf32>
// CHECK: arith.constant dense<[-1.70500934, -0.927632033, 0.262675256, 7.35490703]> : tensor<4xf32>
// CHECK: arith.constant dense<[-0.0182704404, -0.183813766, 0.148166656, 6.99980736]> : tensor<4xf32>
// CHECK: arith.constant dense<[-0.104095757, -0.276494712, 0.169572413, 6.99998856]> : tensor<4xf32>
// CHECK: arith.constant dense<[-0.998177886, -0.635148942, 0.244918659, 0.999998331]> : tensor<4xf32>
// CHECK: arith.constant dense<[0.0293122306, 0.320821315, 0.562176526, 0.999088943]> : tensor<4xf32>
// CHECK: arith.constant dense<[-0.969802618, -0.527633429, 2.500000e-01, 7.000000e+00]> : tensor<4xf32>
// CHECK-NOT: act.
func.func @fold_all() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %c = arith.constant dense<[-3.5, -0.75, 0.25, 7.0]> : tensor<4xf32>
  %0 = act.threshold %c {threshold = 0.2 : f64, value = -9.0 : f64} : tensor<4xf32>
  %1 = act.linear %c {alpha = -2.0 : f64, beta = 0.5 : f64} : tensor<4xf32>
  %2 = act.hard_sigmoid %c : tensor<4xf32>
  %3 = act.hard_sigmoid %c {alpha = 0.2 : f64} : tensor<4xf32>
  %4 = act.hard_tanh %c {min_val = -2.0 : f64, max_val = 5.0 : f64} : tensor<4xf32>
  %5 = act.softshrink %c : tensor<4xf32>
  %6 = act.hardshrink %c {lambd = 1.0 : f64} : tensor<4xf32>
  %7 = act.relu6 %c : tensor<4xf32>
  %8 = act.leaky_relu %c : tensor<4xf32>
  %9 = act.rrelu %c : tensor<4xf32>
  %10 = act.celu %c {alpha = 0.5 : f64} : tensor<4xf32>
  %11 = act.selu %c : tensor<4xf32>
  %12 = act.swish %c {beta = 1.5 : f64} : tensor<4xf32>
  %13 = act.mish %c : tensor<4xf32>
  %14 = act.tanh %c : tensor<4xf32>
  %15 = act.sigmoid %c : tensor<4xf32>
  %16 = act.elu %c : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
