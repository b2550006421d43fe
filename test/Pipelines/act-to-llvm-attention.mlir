// act-to-llvm runs act-lower-attention on attention as a user writes it
// (arith on tensors for the scale, act.softmax, batch_matmul): after it, no
// 1x100x300 score tensor is left, and the function compiles to LLVM.
// RUN: act-opt %s --act-to-llvm --mlir-print-ir-after=act-lower-attention -o %t 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=LLVM < %t
// CHECK: IR Dump After ActLowerAttentionPass
// CHECK-NOT: tensor<1x100x300xf32>
// CHECK: } {act.parallel}
// CHECK-NOT: tensor<1x100x300xf32>
// LLVM: llvm.func @f(
// LLVM-NOT: act.


#q = affine_map<(b, i, j, d) -> (b, i, d)>
#k = affine_map<(b, i, j, d) -> (b, j, d)>
#s = affine_map<(b, i, j, d) -> (b, i, j)>
func.func @f(%q: tensor<1x100x64xf32>, %k: tensor<1x300x64xf32>, %v: tensor<1x300x64xf32>) -> tensor<1x100x64xf32> {
  %c0 = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<1x100x300xf32>
  %zs = linalg.fill ins(%c0 : f32) outs(%es : tensor<1x100x300xf32>) -> tensor<1x100x300xf32>
  %scores = linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<1x100x64xf32>, tensor<1x300x64xf32>) outs(%zs : tensor<1x100x300xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<1x100x300xf32>
  %scale = arith.constant dense<0.25> : tensor<1x100x300xf32>
  %scaled = arith.mulf %scores, %scale : tensor<1x100x300xf32>
  %p = act.softmax %scaled : tensor<1x100x300xf32>
  %eo = tensor.empty() : tensor<1x100x64xf32>
  %zo = linalg.fill ins(%c0 : f32) outs(%eo : tensor<1x100x64xf32>) -> tensor<1x100x64xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<1x100x300xf32>, tensor<1x300x64xf32>) outs(%zo : tensor<1x100x64xf32>) -> tensor<1x100x64xf32>
  return %o : tensor<1x100x64xf32>
}
