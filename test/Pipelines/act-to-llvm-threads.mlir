// act-to-llvm's threads option: 0 (the default) asks the OpenMP runtime for
// the thread count and runs each marked loop as one omp.parallel of chunks;
// N fixes the count; 1 is single-threaded code with no OpenMP at all. (The
// shapes are large enough to be worth a parallel region.)

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

func.func @dense_relu(%x: tensor<96x128xf32>, %w: tensor<128x256xf32>) -> tensor<96x256xf32> {
  %e = tensor.empty() : tensor<96x256xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<96x256xf32>) -> tensor<96x256xf32>
  %m = linalg.matmul ins(%x, %w : tensor<96x128xf32>, tensor<128x256xf32>) outs(%f : tensor<96x256xf32>) -> tensor<96x256xf32>
  %y = act.relu %m : tensor<96x256xf32>
  return %y : tensor<96x256xf32>
}

func.func @softmax(%x: tensor<256x1000xf32>) -> tensor<256x1000xf32> {
  %y = act.softmax %x : tensor<256x1000xf32>
  return %y : tensor<256x1000xf32>
}
