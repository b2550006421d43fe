// act-to-llvm's threads option: 0 (the default) asks the OpenMP runtime for
// the thread count and runs each marked loop as one omp.parallel of chunks;
// N fixes the count; 1 is single-threaded code with no OpenMP at all.

// RUN: act-opt %s --act-to-llvm="target-cpu=znver3" | FileCheck %s --check-prefix=ALL
// RUN: act-opt %s --act-to-llvm="target-cpu=znver3 threads=4" | FileCheck %s --check-prefix=FOUR
// RUN: act-opt %s --act-to-llvm="target-cpu=znver3 threads=1" | FileCheck %s --check-prefix=ONE

// ALL-LABEL:  llvm.func @dense_relu
// ALL:          llvm.call @omp_get_max_threads()
// ALL:          omp.parallel {
// ALL:            omp.wsloop
// ALL-LABEL:  llvm.func @softmax
// ALL:          omp.parallel {
// FOUR-LABEL: llvm.func @dense_relu
// FOUR-NOT:     omp_get_max_threads
// FOUR:         omp.parallel num_threads(%{{.*}} : i32) {
// ONE-NOT:      omp.
// ONE-NOT:      omp_get_max_threads
// ONE-LABEL:  llvm.func @dense_relu
// ONE-LABEL:  llvm.func @softmax
// ONE-NOT:      omp.

func.func @dense_relu(%x: tensor<24x32xf32>, %w: tensor<32x64xf32>) -> tensor<24x64xf32> {
  %e = tensor.empty() : tensor<24x64xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<24x64xf32>) -> tensor<24x64xf32>
  %m = linalg.matmul ins(%x, %w : tensor<24x32xf32>, tensor<32x64xf32>) outs(%f : tensor<24x64xf32>) -> tensor<24x64xf32>
  %y = act.relu %m : tensor<24x64xf32>
  return %y : tensor<24x64xf32>
}

func.func @softmax(%x: tensor<8x100xf32>) -> tensor<8x100xf32> {
  %y = act.softmax %x : tensor<8x100xf32>
  return %y : tensor<8x100xf32>
}
