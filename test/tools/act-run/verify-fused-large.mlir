// matmul + bias + gelu at 64x256x256 through --verify.
// XFAIL: *
// Today's act-to-llvm pipeline compiles this fused chain into code that
// crashes when called (a segmentation fault inside the JIT'ed function;
// the same chain on 7x13x17 or 64x64x64, and the plain matmul at
// 64x256x256, run correctly): act's matmul code generation is being
// rewritten. Remove the XFAIL when this passes.
// RUN: act-run %s --input=64x256xf32=random:1 --input=256x256xf32=random:2 \
// RUN:   --input=256xf32=random:3 --verify | FileCheck %s
// CHECK: result #0: max abs {{.*}}, bound use {{.*}} - ok (propagated bound, at least 4 ulp above 5.96046e-08)

func.func @mm_bias_gelu(%a: tensor<64x256xf32>, %b: tensor<256x256xf32>,
                        %bias: tensor<256xf32>) -> tensor<64x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x256xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<64x256xf32>) -> tensor<64x256xf32>
  %m = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x256xf32>)
                     outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  %bb = linalg.broadcast ins(%bias : tensor<256xf32>) outs(%e : tensor<64x256xf32>)
                         dimensions = [0]
  %s = arith.addf %m, %bb : tensor<64x256xf32>
  %g = act.gelu %s : tensor<64x256xf32>
  return %g : tensor<64x256xf32>
}
