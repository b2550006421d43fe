// matmul + bias + gelu at 64x256x256 through --verify: one fused kernel
// (act-lower-contractions; the generic tiling this shape once took crashed).
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
