// RUN: act-opt %s --convert-act-to-linalg="math=fast" --linalg-fuse-elementwise-ops --act-tile-and-vectorize="vector-bits=256 unroll=2" | FileCheck %s

// A fused chain: one loop over rows, a loop over full tiles of two 8-lane
// registers, and the peeled tail of the row (100 = 6 * 16 + 4) on its own.
// CHECK-LABEL: func @chain
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C96:.*]] = arith.constant 96 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C4]] step %{{.*}}
// CHECK:   scf.for %{{.*}} = %{{.*}} to %[[C96]] step %[[C16]]
// CHECK-COUNT-2: vector.transfer_read {{.*}} : tensor<1x16xf32>, vector<8xf32>
// CHECK-COUNT-2: arith.cmpf olt, {{.*}} : vector<8xf32>
// CHECK-COUNT-2: arith.select {{.*}} : vector<8xi1>, vector<8xf32>
// CHECK-COUNT-2: math.tanh {{.*}} : vector<8xf32>
// CHECK-COUNT-2: vector.transfer_write {{.*}} : vector<8xf32>, tensor<1x16xf32>
// CHECK:   }
// CHECK:   vector.transfer_read {{.*}} : tensor<1x4xf32>, vector<4xf32>
// CHECK:   math.tanh {{.*}} : vector<4xf32>
// CHECK-NOT: linalg.
func.func @chain(%x: tensor<4x100xf32>) -> tensor<4x100xf32> {
  %0 = act.relu %x : tensor<4x100xf32>
  %1 = act.tanh %0 : tensor<4x100xf32>
  return %1 : tensor<4x100xf32>
}

// softmax: the max, exp(x - max), its sum and the normalization of a row
// share one loop over rows (the row stays in cache); exp is computed once per
// element into a row buffer. The reductions keep a register of partial
// results per lane and reduce it across lanes once per row.
// CHECK-LABEL: func @softmax
// CHECK: scf.for
// CHECK:   scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x16xf32>)
// CHECK-COUNT-2: arith.maximumf {{.*}} : vector<8xf32>
// CHECK:   }
// CHECK:   arith.maximumf {{.*}} : vector<4xf32>
// CHECK:   vector.multi_reduction <maximumf>, {{.*}} [1] : vector<1x16xf32> to vector<1xf32>
// CHECK:   %[[E:.*]] = scf.for {{.*}} -> (tensor<1x100xf32>)
// CHECK-COUNT-2: math.exp {{.*}} : vector<8xf32>
// CHECK-NOT: arith.addf
// CHECK:   }
// CHECK:   math.exp {{.*}} : vector<4xf32>
// CHECK:   scf.for {{.*}} -> (tensor<1x16xf32>)
// CHECK-NOT: math.exp
// CHECK-COUNT-2: arith.addf {{.*}} : vector<8xf32>
// CHECK:   }
// CHECK:   vector.multi_reduction <add>, {{.*}} [1] : vector<1x16xf32> to vector<1xf32>
// CHECK:   scf.for {{.*}} -> (tensor<1x100xf32>)
// CHECK-NOT: math.exp
// CHECK-COUNT-2: arith.mulf {{.*}} : vector<8xf32>
// CHECK:   }
// CHECK:   arith.mulf {{.*}} : vector<4xf32>
// CHECK: scf.yield
// CHECK-NOT: scf.for
// CHECK-NOT: linalg.
// CHECK-NOT: math.exp
// CHECK: return
func.func @softmax(%x: tensor<4x100xf32>) -> tensor<4x100xf32> {
  %0 = act.softmax %x : tensor<4x100xf32>
  return %0 : tensor<4x100xf32>
}

// A linalg op with an empty iteration space (k = 0) leaves its init: no
// loops (tiling it would divide by zero).
// CHECK-LABEL: func @empty_reduction
// CHECK-SAME: %[[INIT:[^:]*]]: tensor<4x8xf32>
// CHECK-NOT: scf.for
// CHECK: return %[[INIT]]
func.func @empty_reduction(%a: tensor<4x0xf32>, %b: tensor<0x8xf32>, %init: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4x0xf32>, tensor<0x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// A reduction along dim 0: the accumulators are filled tile by tile, and the
// 2048 rows are a loop accumulating one row into them at a time, never a
// vector as long as a column or a row (unrolled, those made bufferization
// take minutes).
// CHECK-LABEL: func @log_softmax_columns
// CHECK-NOT: vector<64xf32>
// CHECK-NOT: vector<2048
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<64xf32>) {
// CHECK-COUNT-2: vector.transfer_write {{.*}} : vector<8xf32>, tensor<16xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[ROWS:.*]] step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<64xf32>) {
// CHECK-NEXT: scf.for %{{.*}} -> (tensor<64xf32>) {
// CHECK-NOT: vector<64xf32>
// CHECK-NOT: vector<2048
// CHECK: return
func.func @log_softmax_columns(%x: tensor<2048x64xf32>) -> tensor<2048x64xf32> {
  %0 = act.log_softmax %x {dim = 0 : i64} : tensor<2048x64xf32>
  return %0 : tensor<2048x64xf32>
}

// A tensor from a func.call feeding a tiled op is read, never recomputed:
// the call is not a producer that fusion may clone into the row loop (it was,
// once, and ran 256 times).
// CHECK-LABEL: func @call_producer
// CHECK: call @produce
// CHECK-NOT: call @produce
// CHECK: scf.for
// CHECK-NOT: call @produce
// CHECK: return
func.func private @produce(tensor<256x10xf32>) -> tensor<256x10xf32>
func.func @call_producer(%x: tensor<256x10xf32>) -> tensor<256x10xf32> {
  %0 = func.call @produce(%x) : (tensor<256x10xf32>) -> tensor<256x10xf32>
  %1 = act.relu %0 : tensor<256x10xf32>
  return %1 : tensor<256x10xf32>
}

// A reduction over a whole batch (a loss: sum of y * log_softmax(z) over
// 256 x 10) and the log_softmax feeding it: rows of 10, one at a time, never
// a vector<256x10> (vectorized whole, it was unrolled into 256 registers and
// took LLVM seconds).
// CHECK-LABEL: func @batch_loss
// CHECK-NOT: vector<256x10xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<f32>)
// CHECK-NOT: vector<256x10xf32>
// CHECK: return
#rows = affine_map<(b, n) -> (b, n)>
#all = affine_map<(b, n) -> ()>
func.func @batch_loss(%y: tensor<256x10xf32>, %z: tensor<256x10xf32>) -> tensor<f32> {
  %lp = act.log_softmax %z : tensor<256x10xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %s = linalg.generic {indexing_maps = [#rows, #rows, #all], iterator_types = ["reduction", "reduction"]}
      ins(%y, %lp : tensor<256x10xf32>, tensor<256x10xf32>) outs(%f : tensor<f32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  return %s : tensor<f32>
}

// A row max over a dynamic length: full tiles into a 1 x 16 partial max,
// then the tail masked. The masks' types must match what the transfers
// expect (vectorized without scalable flags, they printed the same but
// failed the verifier, and softmax on tensor<?x?xf32> did not compile).
// CHECK-LABEL: func @dynamic_row_max
// CHECK:       scf.for {{.*}} -> (tensor<?xf32>)
// CHECK:         scf.for {{.*}} step %c16 iter_args({{.*}}) -> (tensor<1x16xf32>)
// CHECK:         scf.for {{.*}} step %c16 iter_args({{.*}}) -> (tensor<1x16xf32>)
// CHECK:           %[[M:.*]] = vector.create_mask %c1, %{{.*}} : vector<1x16xi1>
// CHECK:           vector.mask %[[M]] { vector.transfer_read {{.*}} : tensor<1x?xf32>, vector<1x16xf32> } : vector<1x16xi1> -> vector<1x16xf32>
// CHECK:           vector.mask %[[M]] { vector.transfer_write {{.*}} : vector<1x16xf32>, tensor<1x?xf32> } : vector<1x16xi1> -> tensor<1x?xf32>
// CHECK:         vector.multi_reduction <maximumf>, %{{.*}}, %{{.*}} [1] : vector<1x16xf32> to vector<1xf32>
func.func @dynamic_row_max(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %ninf = arith.constant 0xFF800000 : f32
  %rows = tensor.dim %x, %c0 : tensor<?x?xf32>
  %e = tensor.empty(%rows) : tensor<?xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x?xf32>) outs(%f : tensor<?xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.maximumf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  return %m : tensor<?xf32>
}
