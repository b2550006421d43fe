// --verify on contractions, reductions and fused chains: each result is
// judged by the error bound propagated through its ops (docs/Accuracy.md,
// "Contractions and fused chains"), gamma_K sum |a b| for a K-term dot
// product, and reports how much of it is used.
//
// A plain 64x256x256 matmul: its f32 sums differ from the exact ones by
// thousands of ulps where they cancel, well within the bound.
// RUN: act-run %s --function=mm --input=64x256xf32=random:1 \
// RUN:   --input=256x256xf32=random:2 --verify | FileCheck %s --check-prefix=MM
// MM: result #0: max abs {{.*}}, max ulp {{[0-9.]+}}, bound use 0.0{{[0-9]+}} (at index [{{.*}}allowed {{.*}}) - ok (propagated bound, at least 4 ulp above 5.96046e-08)
// Without the propagated bound, the ulp criterion alone fails it.
// RUN: not act-run %s --function=mm --input=64x256xf32=random:1 \
// RUN:   --input=256x256xf32=random:2 --verify --verify-tolerance=0 \
// RUN:   | FileCheck %s --check-prefix=TOL0
// TOL0: result #0: {{.*}} - FAILED (propagated bound x0, at least 4 ulp above 5.96046e-08)
// RUN: act-run %s --function=mm --input=64x256xf32=random:1 \
// RUN:   --input=256x256xf32=random:2 --verify --verify-tolerance=2 --verify-ulp=8 \
// RUN:   | FileCheck %s --check-prefix=TOL2
// TOL2: result #0: {{.*}} - ok (propagated bound x2, at least 8 ulp above 5.96046e-08)
//
// matmul + bias (linalg.broadcast, arith.addf) + gelu on odd shapes.
// RUN: act-run %s --function=mm_bias_gelu --input=7x13xf32=random:3 \
// RUN:   --input=13x17xf32=random:4 --input=17xf32=random:5 --verify | FileCheck %s
// RUN: act-run %s --function=mm_bias_gelu_1x300x5 --input=1x300xf32=random:6 \
// RUN:   --input=300x5xf32=random:7 --input=5xf32=random:8 --verify | FileCheck %s
// Fast mode documents no bound for gelu: what depends on it is unbounded.
// RUN: act-run %s --function=mm_bias_gelu --input=7x13xf32=random:3 \
// RUN:   --input=13x17xf32=random:4 --input=17xf32=random:5 --verify --math=fast \
// RUN:   | FileCheck %s --check-prefix=FAST
// FAST: result #0: {{.*}}, bound use 0 - ok (propagated bound, at least 4 ulp above 5.96046e-08)
//
// batch_matmul, B transposed through indexing_maps, a linalg.transpose
// feeding a matmul, f16 inputs accumulated in f32, a matmul written as a
// linalg.generic followed by a relu written as cmpf + select.
// RUN: act-run %s --function=bmm --input=3x7x13xf32=random:9 \
// RUN:   --input=3x13x5xf32=random:10 --verify | FileCheck %s
// RUN: act-run %s --function=mm_transposed_b --input=7x13xf32=random:11 \
// RUN:   --input=17x13xf32=random:12 --verify | FileCheck %s
// RUN: act-run %s --function=transpose_mm --input=13x7xf32=random:13 \
// RUN:   --input=13x17xf32=random:14 --verify | FileCheck %s
// RUN: act-run %s --function=mm_f16 --input=7x13xf16=random:15 \
// RUN:   --input=13x17xf16=random:16 --verify | FileCheck %s
// RUN: act-run %s --function=generic_mm_relu --input=7x13xf32=random:17 \
// RUN:   --input=13x17xf32=random:18 --verify | FileCheck %s
//
// Reductions over rows (linalg.reduce): a sum, a mean, a maximum (exact).
// RUN: act-run %s --function=row_sum_mean_max --input=7x33xf32=random:19 \
// RUN:   --verify | FileCheck %s --check-prefix=ROWS
// ROWS: result #0: max abs {{.*}} - ok (propagated bound
// ROWS: result #1: max abs {{.*}} - ok (propagated bound
// ROWS: result #2: max abs 0, max rel 0, max ulp 0.0, bound use 0 - ok (propagated bound
// NaN and +-Inf propagate as in PyTorch (and as the reference, in double):
// a NaN poisons its row, inf * 0 and inf - inf are NaN.
// RUN: act-run %s --function=mm_bias_gelu_specials \
// RUN:   --input="3x3xf32=nan 1 2, inf 1 1, 1 2 3" \
// RUN:   --input="3x4xf32=0 1 -1 2, 1 1 1 1, 1 -inf 2 0" \
// RUN:   --input="4xf32=1 inf 0 -inf" --verify | FileCheck %s --check-prefix=SPECIAL
// SPECIAL:      tensor<3x4xf32>
// SPECIAL-NEXT: {{\[\[}} nan  nan  nan  nan]
// SPECIAL-NEXT: {{^}} [ nan  nan -inf  inf]
// SPECIAL-NEXT: {{^}} [   5 -inf    7    4]]
// SPECIAL-NEXT: tensor<3x4xf32>
// SPECIAL-NEXT: {{\[\[}}nan nan nan nan]
// SPECIAL-NEXT: {{^}} [nan nan nan nan]
// SPECIAL-NEXT: {{^}} [  6 nan   7 nan]]
// SPECIAL-NEXT: result #0: max abs 0, {{.*}} - ok (propagated bound
// SPECIAL-NEXT: result #1: max abs {{.*}} - ok (propagated bound
//
// Attention: scores = Q K^T (batch_matmul with transposed maps), scaled by
// linalg.map, softmax, times V, then exp through linalg.elementwise.
// RUN: act-run %s --function=attention --input=2x7x16xf32=random:21 \
// RUN:   --input=2x9x16xf32=random:22 --input=2x9x5xf32=random:23 --verify \
// RUN:   | FileCheck %s --check-prefix=ATTN
// ATTN: result #0: max abs {{.*}}, bound use {{.*}} - ok (propagated bound, at least 16 ulp above 5.96046e-08)
//
// Data movement alone (transpose, reshapes, a slice) keeps the ulp contract
// of the act ops.
// RUN: act-run %s --function=moved_tanh --input=4x6xf32=random:20 --verify \
// RUN:   | FileCheck %s --check-prefix=MOVED
// MOVED: result #0: max abs {{.*}} - ok (bound 2 ulp above 5.96046e-08)
// MOVED: result #1: max abs {{.*}} - ok (bound 2 ulp above 5.96046e-08)
//
// Float to integer conversions truncate toward zero, in the kernel and in
// the reference (a floor would differ by 1 at every negative non-integer).
// RUN: act-run %s --function=trunc --input=64xf32=random:5 --verify | FileCheck %s --check-prefix=TRUNC
// TRUNC: result #0: max abs 0, {{.*}} - ok (propagated bound
//
// CHECK: result #0: max abs {{.*}}, bound use {{.*}} - ok (propagated bound, at least 4 ulp above 5.96046e-08)

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(i, j) -> (i, j)>
#bmk = affine_map<(b, m, n, k) -> (b, m, k)>
#bnk = affine_map<(b, m, n, k) -> (b, n, k)>
#bmn = affine_map<(b, m, n, k) -> (b, m, n)>

func.func @mm(%a: tensor<64x256xf32>, %b: tensor<256x256xf32>) -> tensor<64x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x256xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<64x256xf32>) -> tensor<64x256xf32>
  %m = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x256xf32>)
                     outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %m : tensor<64x256xf32>
}

func.func @mm_bias_gelu(%a: tensor<7x13xf32>, %b: tensor<13x17xf32>,
                        %bias: tensor<17xf32>) -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.matmul ins(%a, %b : tensor<7x13xf32>, tensor<13x17xf32>)
                     outs(%c : tensor<7x17xf32>) -> tensor<7x17xf32>
  %bb = linalg.broadcast ins(%bias : tensor<17xf32>) outs(%e : tensor<7x17xf32>)
                         dimensions = [0]
  %s = arith.addf %m, %bb : tensor<7x17xf32>
  %g = act.gelu %s : tensor<7x17xf32>
  return %g : tensor<7x17xf32>
}

func.func @mm_bias_gelu_1x300x5(%a: tensor<1x300xf32>, %b: tensor<300x5xf32>,
                                %bias: tensor<5xf32>) -> tensor<1x5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x5xf32>) -> tensor<1x5xf32>
  %m = linalg.matmul ins(%a, %b : tensor<1x300xf32>, tensor<300x5xf32>)
                     outs(%c : tensor<1x5xf32>) -> tensor<1x5xf32>
  %bb = linalg.broadcast ins(%bias : tensor<5xf32>) outs(%e : tensor<1x5xf32>)
                         dimensions = [0]
  %s = arith.addf %m, %bb : tensor<1x5xf32>
  %g = act.gelu %s : tensor<1x5xf32>
  return %g : tensor<1x5xf32>
}

func.func @bmm(%a: tensor<3x7x13xf32>, %b: tensor<3x13x5xf32>) -> tensor<3x7x5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x7x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  %m = linalg.batch_matmul ins(%a, %b : tensor<3x7x13xf32>, tensor<3x13x5xf32>)
                           outs(%c : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  return %m : tensor<3x7x5xf32>
}

func.func @mm_transposed_b(%a: tensor<7x13xf32>, %b: tensor<17x13xf32>) -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.matmul indexing_maps = [#mk, #nk, #mn]
                     ins(%a, %b : tensor<7x13xf32>, tensor<17x13xf32>)
                     outs(%c : tensor<7x17xf32>) -> tensor<7x17xf32>
  return %m : tensor<7x17xf32>
}

func.func @transpose_mm(%a: tensor<13x7xf32>, %b: tensor<13x17xf32>) -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<7x13xf32>
  %t = linalg.transpose ins(%a : tensor<13x7xf32>) outs(%et : tensor<7x13xf32>)
                        permutation = [1, 0]
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.matmul ins(%t, %b : tensor<7x13xf32>, tensor<13x17xf32>)
                     outs(%c : tensor<7x17xf32>) -> tensor<7x17xf32>
  return %m : tensor<7x17xf32>
}

func.func @mm_f16(%a: tensor<7x13xf16>, %b: tensor<13x17xf16>) -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.matmul ins(%a, %b : tensor<7x13xf16>, tensor<13x17xf16>)
                     outs(%c : tensor<7x17xf32>) -> tensor<7x17xf32>
  return %m : tensor<7x17xf32>
}

func.func @generic_mm_relu(%a: tensor<7x13xf32>, %b: tensor<13x17xf32>) -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.generic {indexing_maps = [#mk, #kn, #mn],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<7x13xf32>, tensor<13x17xf32>) outs(%c : tensor<7x17xf32>) {
    ^bb0(%x: f32, %y: f32, %acc: f32):
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
  } -> tensor<7x17xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<7x17xf32>) outs(%e : tensor<7x17xf32>) {
    ^bb0(%x: f32, %o: f32):
      %lt = arith.cmpf olt, %x, %z : f32
      %y = arith.select %lt, %z, %x : f32
      linalg.yield %y : f32
  } -> tensor<7x17xf32>
  return %r : tensor<7x17xf32>
}

func.func @row_sum_mean_max(%x: tensor<7x33xf32>)
    -> (tensor<7xf32>, tensor<7xf32>, tensor<7xf32>) {
  %z = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = arith.constant dense<33.0> : tensor<7xf32>
  %e = tensor.empty() : tensor<7xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7xf32>) -> tensor<7xf32>
  %s = linalg.reduce ins(%x : tensor<7x33xf32>) outs(%c : tensor<7xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %mean = arith.divf %s, %n : tensor<7xf32>
  %cm = linalg.fill ins(%ninf : f32) outs(%e : tensor<7xf32>) -> tensor<7xf32>
  %mx = linalg.reduce ins(%x : tensor<7x33xf32>) outs(%cm : tensor<7xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %r = arith.maximumf %in, %acc : f32
      linalg.yield %r : f32
    }
  return %s, %mean, %mx : tensor<7xf32>, tensor<7xf32>, tensor<7xf32>
}

func.func @mm_bias_gelu_specials(%a: tensor<3x3xf32>, %b: tensor<3x4xf32>,
                                 %bias: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %m = linalg.matmul ins(%a, %b : tensor<3x3xf32>, tensor<3x4xf32>)
                     outs(%c : tensor<3x4xf32>) -> tensor<3x4xf32>
  %bb = linalg.broadcast ins(%bias : tensor<4xf32>) outs(%e : tensor<3x4xf32>)
                         dimensions = [0]
  %s = arith.addf %m, %bb : tensor<3x4xf32>
  %g = act.gelu %s : tensor<3x4xf32>
  return %m, %g : tensor<3x4xf32>, tensor<3x4xf32>
}

func.func @moved_tanh(%x: tensor<4x6xf32>) -> (tensor<6x4xf32>, tensor<2x3xf32>) {
  %et = tensor.empty() : tensor<6x4xf32>
  %t = linalg.transpose ins(%x : tensor<4x6xf32>) outs(%et : tensor<6x4xf32>)
                        permutation = [1, 0]
  %y0 = act.tanh %t : tensor<6x4xf32>
  %r = tensor.expand_shape %x [[0], [1, 2]] output_shape [4, 2, 3]
      : tensor<4x6xf32> into tensor<4x2x3xf32>
  %f = tensor.collapse_shape %r [[0, 1], [2]] : tensor<4x2x3xf32> into tensor<8x3xf32>
  %s = tensor.extract_slice %f[1, 0] [2, 3] [3, 1] : tensor<8x3xf32> to tensor<2x3xf32>
  %y = act.tanh %s : tensor<2x3xf32>
  return %y0, %y : tensor<6x4xf32>, tensor<2x3xf32>
}

func.func @attention(%q: tensor<2x7x16xf32>, %k: tensor<2x9x16xf32>, %v: tensor<2x9x5xf32>) -> tensor<2x7x5xf32> {
  %z = arith.constant 0.0 : f32
  %scale = arith.constant 0.25 : f32
  %e = tensor.empty() : tensor<2x7x9xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x7x9xf32>) -> tensor<2x7x9xf32>
  %s = linalg.batch_matmul indexing_maps = [#bmk, #bnk, #bmn] ins(%q, %k : tensor<2x7x16xf32>, tensor<2x9x16xf32>) outs(%c : tensor<2x7x9xf32>) -> tensor<2x7x9xf32>
  %ss = linalg.map ins(%s : tensor<2x7x9xf32>) outs(%e : tensor<2x7x9xf32>) (%x: f32, %o: f32) {
      %y = arith.mulf %x, %scale : f32
      linalg.yield %y : f32
    }
  %p = act.softmax %ss : tensor<2x7x9xf32>
  %e2 = tensor.empty() : tensor<2x7x5xf32>
  %c2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x7x5xf32>) -> tensor<2x7x5xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x7x9xf32>, tensor<2x9x5xf32>) outs(%c2 : tensor<2x7x5xf32>) -> tensor<2x7x5xf32>
  %e3 = tensor.empty() : tensor<2x7x5xf32>
  %t = linalg.elementwise kind=#linalg.elementwise_kind<exp> ins(%o : tensor<2x7x5xf32>) outs(%e3 : tensor<2x7x5xf32>) -> tensor<2x7x5xf32>
  return %t : tensor<2x7x5xf32>
}

func.func @trunc(%x: tensor<64xf32>) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = arith.fptosi %in : f32 to i32
    %f = arith.sitofp %i : i32 to f32
    linalg.yield %f : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}
