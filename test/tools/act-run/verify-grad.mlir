// --verify on backward ops: dx = dy * f'(s) is judged by the bound
// propagated through the product plus the kernels' own error as
// docs/Derivatives.md states it (16 ulp of dx + 8 u |dy|); the softmax
// family's backward through its row sums. A bound with teeth: at a
// thousandth of it, the same results fail.
// RUN: act-run %s --function=unary --input=1000xf32=random:1 \
// RUN:   --input=1000xf32=random:2 --verify | FileCheck %s --check-prefix=UNARY
// UNARY-COUNT-3: - ok (propagated bound
// RUN: not act-run %s --function=unary --input=1000xf32=random:1 \
// RUN:   --input=1000xf32=random:2 --verify --verify-tolerance=0.001 \
// RUN:   | FileCheck %s --check-prefix=TIGHT
// TIGHT: FAILED (propagated bound x0.001
// RUN: act-run %s --function=rows --input=7x33xf32=random:3 \
// RUN:   --input=7x33xf32=random:4 --verify | FileCheck %s --check-prefix=ROWS
// ROWS-COUNT-3: - ok (propagated bound
// The vjp act-differentiate writes for a dense layer with log_softmax verifies
// end to end (contractions, bias sums, backward ops).
// RUN: act-opt %s --act-differentiate=function=layer -o %t.mlir
// RUN: act-run %t.mlir --function=layer_vjp --input=8x16xf32=random:5 \
// RUN:   --input=16x12xf32=random:6 --input=8x12xf32=random:7 --verify \
// RUN:   | FileCheck %s --check-prefix=LAYER
// LAYER-COUNT-3: - ok

func.func @unary(%dy: tensor<1000xf32>, %x: tensor<1000xf32>)
    -> (tensor<1000xf32>, tensor<1000xf32>, tensor<1000xf32>) {
  %0 = act.gelu_grad %dy, %x : tensor<1000xf32>
  %y = act.relu %x : tensor<1000xf32>
  %1 = act.relu_grad %dy, %y from_output : tensor<1000xf32>
  %2 = act.mish_grad %dy, %x : tensor<1000xf32>
  return %0, %1, %2 : tensor<1000xf32>, tensor<1000xf32>, tensor<1000xf32>
}

func.func @rows(%dy: tensor<7x33xf32>, %x: tensor<7x33xf32>)
    -> (tensor<7x33xf32>, tensor<7x33xf32>, tensor<7x33xf32>) {
  %s = act.softmax %x : tensor<7x33xf32>
  %0 = act.softmax_grad %dy, %s : tensor<7x33xf32>
  %l = act.log_softmax %x : tensor<7x33xf32>
  %1 = act.log_softmax_grad %dy, %l : tensor<7x33xf32>
  %m = act.softmin %x : tensor<7x33xf32>
  %2 = act.softmin_grad %dy, %m : tensor<7x33xf32>
  return %0, %1, %2 : tensor<7x33xf32>, tensor<7x33xf32>, tensor<7x33xf32>
}

func.func @layer(%x: tensor<8x16xf32>, %w: tensor<16x12xf32>) -> tensor<8x12xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x12xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<8x12xf32>) -> tensor<8x12xf32>
  %m = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x12xf32>) outs(%f : tensor<8x12xf32>) -> tensor<8x12xf32>
  %g = act.gelu %m : tensor<8x12xf32>
  %l = act.log_softmax %g : tensor<8x12xf32>
  return %l : tensor<8x12xf32>
}
