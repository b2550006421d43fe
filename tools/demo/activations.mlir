// A transformer FFN's activations and an attention softmax, in act.
func.func @ffn_activations(%h: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // torch.nn.GELU(approximate="tanh")
  %g = act.gelu %h approximate = tanh : tensor<8x64xf32>
  // A ReLU of a ReLU is a ReLU: canonicalization removes one.
  %r = act.relu %g : tensor<8x64xf32>
  %rr = act.relu %r : tensor<8x64xf32>
  // alpha = 1, beta = 0 is the identity.
  %id = act.linear %rr {alpha = 1.0 : f64, beta = 0.0 : f64} : tensor<8x64xf32>
  return %id : tensor<8x64xf32>
}

func.func @attention_scores(%s: tensor<4x16x16xf32>) -> tensor<4x16x16xf32> {
  %p = act.softmax %s {dim = -1 : i64} : tensor<4x16x16xf32>
  return %p : tensor<4x16x16xf32>
}

// SwiGLU-style gate: GLU halves the last dimension.
func.func @gate(%x: tensor<8x128xbf16>) -> tensor<8x64xbf16> {
  %y = act.glu %x : tensor<8x128xbf16> -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}

// Constants fold through the double-precision reference, rounded to f32.
func.func @folded() -> tensor<4xf32> {
  %c = arith.constant dense<[-2.0, -0.5, 0.5, 2.0]> : tensor<4xf32>
  %y = act.mish %c : tensor<4xf32>
  return %y : tensor<4xf32>
}

// A dense layer, Y = gelu(X W + b): one matmul kernel with the bias and the
// activation applied in registers (act-lower-contractions), on all cores.
func.func @dense_gelu(%x: tensor<64x256xf32>, %w: tensor<256x256xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x256xf32>) -> tensor<64x256xf32>
  %m = linalg.matmul ins(%x, %w : tensor<64x256xf32>, tensor<256x256xf32>) outs(%f : tensor<64x256xf32>) -> tensor<64x256xf32>
  %bb = linalg.broadcast ins(%b : tensor<256xf32>) outs(%e : tensor<64x256xf32>) dimensions = [0]
  %a = arith.addf %m, %bb : tensor<64x256xf32>
  %y = act.gelu %a : tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
