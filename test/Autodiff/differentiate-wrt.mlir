// RUN: act-opt %s --act-differentiate="function=f wrt=2,0" | FileCheck %s

// With wrt, only the listed arguments get gradients, in argument order
// (whatever the order of the list).
// CHECK-LABEL: func.func @f_vjp(
// CHECK-SAME: %[[A:[^:]*]]: tensor<8xf32>, %[[B:[^:]*]]: tensor<8xf32>, %[[C:[^:]*]]: tensor<8xf32>, %[[DY:[^:]*]]: tensor<8xf32>)
// CHECK-SAME: -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: %[[S:.*]] = arith.subf
// CHECK: %[[DC:.*]] = linalg.generic {{.*}} ins(%[[DY]] : tensor<8xf32>)
// CHECK: arith.negf
// CHECK: return %[[S]], %[[DY]], %[[DC]]
func.func @f(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>) -> tensor<8xf32> {
  %s = arith.addf %a, %b : tensor<8xf32>
  %d = arith.subf %s, %c : tensor<8xf32>
  return %d : tensor<8xf32>
}
