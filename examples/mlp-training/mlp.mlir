// A 2-layer MLP classifier, 64 -> 256 -> 10, GELU, log_softmax, and the mean
// negative log-likelihood of one-hot labels over a batch of 32:
//   loss = -1/32 sum_b sum_c y[b, c] * log_softmax(gelu(x W1 + b1) W2 + b2)[b, c]
// `act-opt --act-differentiate="function=loss wrt=2,3,4,5"` adds
// @loss_vjp(x, y, W1, b1, W2, b2, dloss) -> (loss, dW1, db1, dW2, db2), and
// @train_step below applies one SGD step with it.

#bias = affine_map<(b, n) -> (n)>
#rows = affine_map<(b, n) -> (b, n)>
#all = affine_map<(b, n) -> ()>

func.func @loss(%x: tensor<32x64xf32>, %y: tensor<32x10xf32>,
                %w1: tensor<64x256xf32>, %b1: tensor<256xf32>,
                %w2: tensor<256x10xf32>, %b2: tensor<10xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<32x256xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<32x256xf32>) -> tensor<32x256xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<32x64xf32>, tensor<64x256xf32>)
                      outs(%z1 : tensor<32x256xf32>) -> tensor<32x256xf32>
  %a1 = linalg.generic {indexing_maps = [#rows, #bias, #rows],
                        iterator_types = ["parallel", "parallel"]}
      ins(%m1, %b1 : tensor<32x256xf32>, tensor<256xf32>) outs(%e1 : tensor<32x256xf32>) {
  ^bb0(%m: f32, %b: f32, %o: f32):
    %s = arith.addf %m, %b : f32
    linalg.yield %s : f32
  } -> tensor<32x256xf32>
  %h = act.gelu %a1 : tensor<32x256xf32>
  %e2 = tensor.empty() : tensor<32x10xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<32x10xf32>) -> tensor<32x10xf32>
  %m2 = linalg.matmul ins(%h, %w2 : tensor<32x256xf32>, tensor<256x10xf32>)
                      outs(%z2 : tensor<32x10xf32>) -> tensor<32x10xf32>
  %logits = linalg.generic {indexing_maps = [#rows, #bias, #rows],
                            iterator_types = ["parallel", "parallel"]}
      ins(%m2, %b2 : tensor<32x10xf32>, tensor<10xf32>) outs(%e2 : tensor<32x10xf32>) {
  ^bb0(%m: f32, %b: f32, %o: f32):
    %s = arith.addf %m, %b : f32
    linalg.yield %s : f32
  } -> tensor<32x10xf32>
  %lp = act.log_softmax %logits : tensor<32x10xf32>
  %e0 = tensor.empty() : tensor<f32>
  %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %picked = linalg.generic {indexing_maps = [#rows, #rows, #all],
                            iterator_types = ["reduction", "reduction"]}
      ins(%y, %lp : tensor<32x10xf32>, tensor<32x10xf32>) outs(%z0 : tensor<f32>) {
  ^bb0(%t: f32, %l: f32, %acc: f32):
    %p = arith.mulf %t, %l : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %scale = arith.constant dense<-0.03125> : tensor<f32>
  %loss = arith.mulf %picked, %scale : tensor<f32>
  return %loss : tensor<f32>
}

// Defined by act-differentiate (a declaration lets @train_step call it).
func.func private @loss_vjp(tensor<32x64xf32>, tensor<32x10xf32>,
                            tensor<64x256xf32>, tensor<256xf32>,
                            tensor<256x10xf32>, tensor<10xf32>, tensor<f32>)
    -> (tensor<f32>, tensor<64x256xf32>, tensor<256xf32>, tensor<256x10xf32>,
        tensor<10xf32>)

// One SGD step: the loss at the current weights, and the updated weights
// w - lr * dw.
#vec = affine_map<(i) -> (i)>
#mat = affine_map<(i, j) -> (i, j)>
#scalar1 = affine_map<(i) -> ()>
#scalar2 = affine_map<(i, j) -> ()>

func.func @train_step(%x: tensor<32x64xf32>, %y: tensor<32x10xf32>,
                      %w1: tensor<64x256xf32>, %b1: tensor<256xf32>,
                      %w2: tensor<256x10xf32>, %b2: tensor<10xf32>,
                      %lr: tensor<f32>)
    -> (tensor<f32>, tensor<64x256xf32>, tensor<256xf32>, tensor<256x10xf32>,
        tensor<10xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %loss, %dw1, %db1, %dw2, %db2 = func.call @loss_vjp(%x, %y, %w1, %b1, %w2, %b2, %one)
      : (tensor<32x64xf32>, tensor<32x10xf32>, tensor<64x256xf32>, tensor<256xf32>,
         tensor<256x10xf32>, tensor<10xf32>, tensor<f32>)
      -> (tensor<f32>, tensor<64x256xf32>, tensor<256xf32>, tensor<256x10xf32>,
          tensor<10xf32>)
  %nw1 = linalg.generic {indexing_maps = [#mat, #mat, #scalar2, #mat], iterator_types = ["parallel", "parallel"]}
      ins(%w1, %dw1, %lr : tensor<64x256xf32>, tensor<64x256xf32>, tensor<f32>) outs(%w1 : tensor<64x256xf32>) {
  ^bb0(%w: f32, %g: f32, %r: f32, %o: f32):
    %step = arith.mulf %r, %g : f32
    %new = arith.subf %w, %step : f32
    linalg.yield %new : f32
  } -> tensor<64x256xf32>
  %nb1 = linalg.generic {indexing_maps = [#vec, #vec, #scalar1, #vec], iterator_types = ["parallel"]}
      ins(%b1, %db1, %lr : tensor<256xf32>, tensor<256xf32>, tensor<f32>) outs(%b1 : tensor<256xf32>) {
  ^bb0(%w: f32, %g: f32, %r: f32, %o: f32):
    %step = arith.mulf %r, %g : f32
    %new = arith.subf %w, %step : f32
    linalg.yield %new : f32
  } -> tensor<256xf32>
  %nw2 = linalg.generic {indexing_maps = [#mat, #mat, #scalar2, #mat], iterator_types = ["parallel", "parallel"]}
      ins(%w2, %dw2, %lr : tensor<256x10xf32>, tensor<256x10xf32>, tensor<f32>) outs(%w2 : tensor<256x10xf32>) {
  ^bb0(%w: f32, %g: f32, %r: f32, %o: f32):
    %step = arith.mulf %r, %g : f32
    %new = arith.subf %w, %step : f32
    linalg.yield %new : f32
  } -> tensor<256x10xf32>
  %nb2 = linalg.generic {indexing_maps = [#vec, #vec, #scalar1, #vec], iterator_types = ["parallel"]}
      ins(%b2, %db2, %lr : tensor<10xf32>, tensor<10xf32>, tensor<f32>) outs(%b2 : tensor<10xf32>) {
  ^bb0(%w: f32, %g: f32, %r: f32, %o: f32):
    %step = arith.mulf %r, %g : f32
    %new = arith.subf %w, %step : f32
    linalg.yield %new : f32
  } -> tensor<10xf32>
  return %loss, %nw1, %nb1, %nw2, %nb2 : tensor<f32>, tensor<64x256xf32>,
      tensor<256xf32>, tensor<256x10xf32>, tensor<10xf32>
}
