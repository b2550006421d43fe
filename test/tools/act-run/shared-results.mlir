// RUN: act-run %s --input="4xf32=-1 2 -3 4" | FileCheck %s

// relu(relu(x)) folds to relu(x): both results are one buffer. act-run
// read the second after freeing the first (a use after free that the
// sanitizer build reports; found by act-fuzz, crashes/shared-results.mlir).

func.func @relu_of_relu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = act.relu %x : tensor<4xf32>
  %1 = act.relu %0 : tensor<4xf32>
  return %1, %0 : tensor<4xf32>, tensor<4xf32>
}

// CHECK:      tensor<4xf32>
// CHECK-NEXT: [0 2 0 4]
// CHECK-NEXT: tensor<4xf32>
// CHECK-NEXT: [0 2 0 4]
