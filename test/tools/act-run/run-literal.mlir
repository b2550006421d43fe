// RUN: act-run %s --function=main --input="2x4xf32=-2 0 0.5 3, -1 -0.5 1 2" \
// RUN:   --input="2x3xf32=1 2 3 -1 0 1" --input="3xf32=-1,1,2" | FileCheck %s

// The expected values were computed independently with mpmath (30 digits)
// and rounded to f32 with numpy before being written here.

func.func @main(%x: tensor<2x4xf32>, %y: tensor<2x3xf32>, %z: tensor<3xf32>)
    -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x3xf32>, tensor<3xf32>) {
  %r = act.relu %x : tensor<2x4xf32>
  %s = act.sigmoid %x : tensor<2x4xf32>
  %m = act.softmax %y : tensor<2x3xf32>
  %g = act.tanh %z : tensor<3xf32>
  return %r, %s, %m, %g
      : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x3xf32>, tensor<3xf32>
}

// CHECK:      tensor<2x4xf32>
// CHECK-NEXT: {{\[\[}}  0   0 0.5   3]
// CHECK-NEXT: {{^}} [  0   0   1   2]]
// CHECK-NEXT: tensor<2x4xf32>
// CHECK-NEXT: {{\[\[}}0.119203      0.5 0.622459 0.952574]
// CHECK-NEXT: {{^}} [0.268941 0.377541 0.731059 0.880797]]
// CHECK-NEXT: tensor<2x3xf32>
// CHECK-NEXT: {{\[\[}}0.0900306  0.244728  0.665241]
// CHECK-NEXT: {{^}} [0.0900306  0.244728  0.665241]]
// CHECK-NEXT: tensor<3xf32>
// CHECK-NEXT: [-0.761594  0.761594  0.964028]
