// RUN: act-opt %s --canonicalize --split-input-file | FileCheck %s

// Identities (bit for bit, NaN and -0 included).

// CHECK-LABEL: func @relu_of_relu
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[R:.*]] = act.relu %[[X]] : tensor<8xf32>
// CHECK-NEXT: return %[[R]], %[[R]]
func.func @relu_of_relu(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = act.relu %x : tensor<8xf32>
  %1 = act.relu %0 : tensor<8xf32>
  %2 = act.relu %1 : tensor<8xf32>
  return %2, %0 : tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func @linear_identity
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[Y:.*]] = act.linear %[[X]] {beta = 1.000000e+00 : f64}
// CHECK-NEXT: %[[Z:.*]] = act.linear %[[X]] {alpha = 2.000000e+00 : f64}
// CHECK-NEXT: return %[[X]], %[[X]], %[[Y]], %[[Z]]
func.func @linear_identity(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = act.linear %x : tensor<8xf32>
  %1 = act.linear %x {alpha = 1.0 : f64, beta = 0.0 : f64} : tensor<8xf32>
  %2 = act.linear %x {beta = 1.0 : f64} : tensor<8xf32>
  %3 = act.linear %x {alpha = 2.0 : f64} : tensor<8xf32>
  return %0, %1, %2, %3 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func @leaky_relu_identity
// CHECK-SAME: (%[[X:.*]]: vector<16xf16>)
// CHECK-NEXT: %[[Y:.*]] = act.leaky_relu %[[X]] {negative_slope = 5.000000e-01 : f64}
// CHECK-NEXT: return %[[X]], %[[Y]]
func.func @leaky_relu_identity(%x: vector<16xf16>) -> (vector<16xf16>, vector<16xf16>) {
  %0 = act.leaky_relu %x {negative_slope = 1.0 : f64} : vector<16xf16>
  %1 = act.leaky_relu %x {negative_slope = 0.5 : f64} : vector<16xf16>
  return %0, %1 : vector<16xf16>, vector<16xf16>
}

// -----

// clamp(clamp(x, -2, 2), -1, 3) = clamp(x, -1, 2).
// CHECK-LABEL: func @hard_tanh_of_hard_tanh
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[Y:.*]] = act.hard_tanh %[[X]] {max_val = 2.000000e+00 : f64} : tensor<8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @hard_tanh_of_hard_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = act.hard_tanh %x {min_val = -2.0 : f64, max_val = 2.0 : f64} : tensor<8xf32>
  %1 = act.hard_tanh %0 {min_val = -1.0 : f64, max_val = 3.0 : f64} : tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

// Disjoint ranges do not merge: the result is a constant only off NaN.
// CHECK-LABEL: func @hard_tanh_disjoint
// CHECK: %[[A:.*]] = act.hard_tanh %{{.*}} {max_val = 2.000000e+00 : f64, min_val = 1.000000e+00 : f64}
// CHECK: act.hard_tanh %[[A]] {max_val = 6.000000e+00 : f64, min_val = 3.000000e+00 : f64}
func.func @hard_tanh_disjoint(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = act.hard_tanh %x {min_val = 1.0 : f64, max_val = 2.0 : f64} : tensor<8xf32>
  %1 = act.hard_tanh %0 {min_val = 3.0 : f64, max_val = 6.0 : f64} : tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

// relu6(relu(x)) = relu6(x) and relu(relu6(x)) = relu6(x).
// CHECK-LABEL: func @relu_and_relu6
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[A:.*]] = act.relu6 %[[X]] : tensor<8xf32>
// CHECK-NEXT: %[[B:.*]] = act.relu6 %[[X]] : tensor<8xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @relu_and_relu6(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = act.relu %x : tensor<8xf32>
  %1 = act.relu6 %0 : tensor<8xf32>
  %2 = act.relu6 %x : tensor<8xf32>
  %3 = act.relu %2 : tensor<8xf32>
  return %1, %3 : tensor<8xf32>, tensor<8xf32>
}

// -----

// relu of another activation is not an identity.
// CHECK-LABEL: func @no_fold
// CHECK: %[[A:.*]] = act.leaky_relu
// CHECK: act.relu %[[A]]
func.func @no_fold(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = act.leaky_relu %x : tensor<8xf32>
  %1 = act.relu %0 : tensor<8xf32>
  return %1 : tensor<8xf32>
}
