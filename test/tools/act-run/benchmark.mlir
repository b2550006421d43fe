// --benchmark reports bandwidth, and GFLOP/s where the function has
// contractions: 2 FLOPs per multiply-add over the loop ranges (here
// 2 * 16 * 8 * 32 for the matmul, 2 * 3 * 7 * 5 * 13 for the batch_matmul).
// RUN: act-run %s --function=mm --input=16x32xf32=random:1 --input=32x8xf32=random:2 \
// RUN:   --benchmark --benchmark-repetitions=2 | FileCheck %s --check-prefix=TEXT
// RUN: act-run %s --function=mm --input=16x32xf32=random:1 --input=32x8xf32=random:2 \
// RUN:   --benchmark --benchmark-repetitions=2 --benchmark-format=json \
// RUN:   | FileCheck %s --check-prefix=JSON
// RUN: act-run %s --function=bmm --input=3x7x13xf32=random:3 --input=3x13x5xf32=random:4 \
// RUN:   --benchmark --benchmark-repetitions=2 --benchmark-format=json \
// RUN:   | FileCheck %s --check-prefix=BMM
// RUN: act-run %s --function=relu --input=1000xf32=random:5 \
// RUN:   --benchmark --benchmark-repetitions=2 | FileCheck %s --check-prefix=NONE
// RUN: act-run %s --function=relu --input=1000xf32=random:5 \
// RUN:   --benchmark --benchmark-repetitions=2 --benchmark-format=json \
// RUN:   | FileCheck %s --check-prefix=NONE-JSON
// TEXT:      @mm on
// TEXT:      bandwidth: {{[0-9.]+}} GB/s (3584 bytes in + out at the min)
// TEXT-NEXT: compute: {{[0-9.]+}} GFLOP/s (8192 FLOPs of contractions at the min)
// JSON: {"function": "mm", {{.*}}, "bytes": 3584, "gb_per_s": {{[0-9.]+}}, "flops": 8192, "gflop_per_s": {{[0-9.]+}}}
// BMM: "flops": 2730, "gflop_per_s": {{[0-9.]+}}}
// NONE:     bandwidth:
// NONE-NOT: compute:
// NONE-JSON: "flops": 0, "gflop_per_s": 0.000}

func.func @mm(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>) -> tensor<16x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x8xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  %m = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>)
                     outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %m : tensor<16x8xf32>
}
func.func @bmm(%a: tensor<3x7x13xf32>, %b: tensor<3x13x5xf32>) -> tensor<3x7x5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x7x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  %m = linalg.batch_matmul ins(%a, %b : tensor<3x7x13xf32>, tensor<3x13x5xf32>)
                           outs(%c : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  return %m : tensor<3x7x5xf32>
}
func.func @relu(%x: tensor<1000xf32>) -> tensor<1000xf32> {
  %y = act.relu %x : tensor<1000xf32>
  return %y : tensor<1000xf32>
}
