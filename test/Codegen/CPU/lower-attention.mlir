// RUN: act-opt %s --split-input-file --act-lower-attention=vector-bits=512 | FileCheck %s

// Full attention, batched, K^T through the maps, a scale: one kernel whose
// only buffers are the packed keys and the per-block state; no 2x100x300
// score tensor survives.
#q = affine_map<(b, i, j, d) -> (b, i, d)>
#k = affine_map<(b, i, j, d) -> (b, j, d)>
#s = affine_map<(b, i, j, d) -> (b, i, j)>
#id = affine_map<(b, i, j) -> (b, i, j)>
// CHECK-LABEL: func @attention
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.batch_matmul
// CHECK-NOT: act.softmax
// CHECK: bufferization.alloc_tensor() : tensor<2x10x64x32xf32>
// CHECK: scf.for {{.*}} -> (tensor<2x100x64xf32>) {
// CHECK: bufferization.alloc_tensor() : tensor<48x64xf32>
// CHECK: bufferization.alloc_tensor() : tensor<3x48xf32>
// CHECK: bufferization.alloc_tensor() : tensor<12x256xf32>
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: arith.mulf {{.*}} : vector<32xf32>
// CHECK: vector.reduction <maximumf>
// exp(s - m), expanded inline:
// CHECK: math.roundeven {{.*}} : vector<32xf32>
// CHECK: vector.reduction <add>
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: } {act.parallel}
// CHECK-NOT: tensor<2x100x300xf32>
// CHECK: return
func.func @attention(%q: tensor<2x100x64xf32>, %k: tensor<2x300x64xf32>, %v: tensor<2x300x64xf32>) -> tensor<2x100x64xf32> {
  %c0 = arith.constant 0.0 : f32
  %scale = arith.constant 0.125 : f32
  %es = tensor.empty() : tensor<2x100x300xf32>
  %zs = linalg.fill ins(%c0 : f32) outs(%es : tensor<2x100x300xf32>) -> tensor<2x100x300xf32>
  %scores = linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x100x64xf32>, tensor<2x300x64xf32>) outs(%zs : tensor<2x100x300xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<2x100x300xf32>
  %scaled = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scores : tensor<2x100x300xf32>) outs(%es : tensor<2x100x300xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %scale : f32
    linalg.yield %y : f32
  } -> tensor<2x100x300xf32>
  %p = act.softmax %scaled : tensor<2x100x300xf32>
  %eo = tensor.empty() : tensor<2x100x64xf32>
  %zo = linalg.fill ins(%c0 : f32) outs(%eo : tensor<2x100x64xf32>) -> tensor<2x100x64xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x100x300xf32>, tensor<2x300x64xf32>) outs(%zo : tensor<2x100x64xf32>) -> tensor<2x100x64xf32>
  return %o : tensor<2x100x64xf32>
}

// -----

// 2-D, K^T by transposed matmul maps, a causal mask from linalg.index: the
// mask is computed per lane (the column indices are a vector), the 7 rows
// are one tile of 7 and the 5 keys one masked panel of 16.
#mq = affine_map<(m, n, k) -> (m, k)>
#mk = affine_map<(m, n, k) -> (n, k)>
#mc = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func @causal
// CHECK-NOT: linalg.
// Key blocks past a row block's last row are skipped: the loop over them
// ends at min(blocks, ceil((first + rows) / keys per block)).
// CHECK: %[[END:.*]] = arith.divui {{.*}}, %c16{{.*}} : index
// CHECK: %[[BLOCKS:.*]] = arith.minui %c1{{.*}}, %[[END]] : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[BLOCKS]]
// CHECK: arith.cmpi ugt, {{.*}} : vector<16xindex>
// CHECK: arith.select {{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: arith.cmpi ult, {{.*}} : vector<16xindex>
// CHECK: arith.select {{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, tensor<7x16xf32>
// CHECK-NOT: linalg.
func.func @causal(%q: tensor<7x16xf32>, %k: tensor<5x16xf32>, %v: tensor<5x16xf32>) -> tensor<7x16xf32> {
  %c0 = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %es = tensor.empty() : tensor<7x5xf32>
  %zs = linalg.fill ins(%c0 : f32) outs(%es : tensor<7x5xf32>) -> tensor<7x5xf32>
  %scores = linalg.matmul indexing_maps = [#mq, #mk, #mc]
      ins(%q, %k : tensor<7x16xf32>, tensor<5x16xf32>) outs(%zs : tensor<7x5xf32>) -> tensor<7x5xf32>
  %masked = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%scores : tensor<7x5xf32>) outs(%es : tensor<7x5xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %above = arith.cmpi ugt, %j, %i : index
    %y = arith.select %above, %ninf, %x : f32
    linalg.yield %y : f32
  } -> tensor<7x5xf32>
  %p = act.softmax %masked : tensor<7x5xf32>
  %eo = tensor.empty() : tensor<7x16xf32>
  %zo = linalg.fill ins(%c0 : f32) outs(%eo : tensor<7x16xf32>) -> tensor<7x16xf32>
  %o = linalg.matmul ins(%p, %v : tensor<7x5xf32>, tensor<5x16xf32>) outs(%zo : tensor<7x16xf32>) -> tensor<7x16xf32>
  return %o : tensor<7x16xf32>
}

// -----

// A classifier head: log_softmax of a matmul plus a bias. The probabilities
// are the result: each tile is written once, then each row is normalized
// with one log per row.
#bias = affine_map<(i, j) -> (j)>
#id3 = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func @classifier
// CHECK-NOT: linalg.matmul
// CHECK-NOT: act.log_softmax
// CHECK: vector.fma
// CHECK: arith.addf {{.*}} : vector<32xf32>
// CHECK: arith.maximumf {{.*}} : vector<32xf32>
// CHECK: vector.reduction <maximumf>
// CHECK: math.roundeven {{.*}} : vector<32xf32>
// CHECK: math.log {{.*}} : f32
// CHECK: } {act.parallel}
func.func @classifier(%x: tensor<64x256xf32>, %w: tensor<256x1000xf32>, %b: tensor<1000xf32>) -> tensor<64x1000xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x1000xf32>
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<64x1000xf32>) -> tensor<64x1000xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<64x256xf32>, tensor<256x1000xf32>) outs(%z : tensor<64x1000xf32>) -> tensor<64x1000xf32>
  %logits = linalg.generic {indexing_maps = [#id3, #bias, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<64x1000xf32>, tensor<1000xf32>) outs(%e : tensor<64x1000xf32>) {
  ^bb0(%s: f32, %c: f32, %o: f32):
    %y = arith.addf %s, %c : f32
    linalg.yield %y : f32
  } -> tensor<64x1000xf32>
  %lp = act.log_softmax %logits : tensor<64x1000xf32>
  return %lp : tensor<64x1000xf32>
}

// -----

// Refused: the raw scores are also returned (they are needed in memory).
// CHECK-LABEL: func @scores_used_twice
// CHECK: linalg.matmul
// CHECK: act.softmax
// CHECK: linalg.matmul
func.func @scores_used_twice(%q: tensor<8x16xf32>, %kt: tensor<16x8xf32>, %v: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x8xf32>) {
  %c0 = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<8x8xf32>
  %zs = linalg.fill ins(%c0 : f32) outs(%es : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<8x16xf32>, tensor<16x8xf32>) outs(%zs : tensor<8x8xf32>) -> tensor<8x8xf32>
  %p = act.softmax %s : tensor<8x8xf32>
  %eo = tensor.empty() : tensor<8x16xf32>
  %zo = linalg.fill ins(%c0 : f32) outs(%eo : tensor<8x16xf32>) -> tensor<8x16xf32>
  %o = linalg.matmul ins(%p, %v : tensor<8x8xf32>, tensor<8x16xf32>) outs(%zo : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %o, %s : tensor<8x16xf32>, tensor<8x8xf32>
}

// -----

// The probabilities also returned: the matmul and the softmax become the
// scores kernel, P V stays a matmul of its own.
// CHECK-LABEL: func @probabilities_used_twice
// CHECK-NOT: act.softmax
// CHECK: } {act.parallel}
// CHECK: linalg.matmul
// CHECK: return
func.func @probabilities_used_twice(%q: tensor<8x16xf32>, %kt: tensor<16x8xf32>, %v: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x8xf32>) {
  %c0 = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<8x8xf32>
  %zs = linalg.fill ins(%c0 : f32) outs(%es : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<8x16xf32>, tensor<16x8xf32>) outs(%zs : tensor<8x8xf32>) -> tensor<8x8xf32>
  %p = act.softmax %s : tensor<8x8xf32>
  %eo = tensor.empty() : tensor<8x16xf32>
  %zo = linalg.fill ins(%c0 : f32) outs(%eo : tensor<8x16xf32>) -> tensor<8x16xf32>
  %o = linalg.matmul ins(%p, %v : tensor<8x8xf32>, tensor<8x16xf32>) outs(%zo : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %o, %p : tensor<8x16xf32>, tensor<8x8xf32>
}

// -----

// Refused: the softmax is along the rows' dimension, not the last one.
// CHECK-LABEL: func @softmax_dim0
// CHECK: linalg.matmul
// CHECK: act.softmax {{.*}} {dim = 0 : i64}
func.func @softmax_dim0(%a: tensor<8x16xf32>, %b: tensor<16x8xf32>) -> tensor<8x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x8xf32>) outs(%z : tensor<8x8xf32>) -> tensor<8x8xf32>
  %p = act.softmax %s {dim = 0 : i64} : tensor<8x8xf32>
  return %p : tensor<8x8xf32>
}
