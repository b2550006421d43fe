// RUN: act-opt %s --split-input-file --act-prefetch-rows | FileCheck %s

// Two passes over each row of %x: the first loads it, the second (more
// vector work) prefetches the same columns of the next row, one cache line
// (16 floats) at a time, clamped to the last row.
// CHECK-LABEL: func @two_passes
// CHECK-SAME: (%[[X:[^:]*]]: memref<64x64xf32>
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %[[C64:.*]] step
// CHECK:   scf.for
// CHECK-NOT: memref.prefetch
// CHECK:   }
// CHECK:   %[[LAST:.*]] = arith.subi %[[C64]], %[[ONE:.*]] : index
// CHECK:   %[[SUCC:.*]] = arith.addi %[[ROW]], %[[ONE]] : index
// CHECK:   %[[NEXT:.*]] = arith.minsi %[[SUCC]], %[[LAST]] : index
// CHECK:   scf.for %[[J:.*]] = {{.*}} {
// CHECK-NEXT: memref.prefetch %[[X]][%[[NEXT]], %[[J]]], read, locality<2>, data
// CHECK-NEXT: %[[C16:.*]] = arith.constant 16 : index
// CHECK-NEXT: %[[J16:.*]] = arith.addi %[[J]], %[[C16]] : index
// CHECK-NEXT: memref.prefetch %[[X]][%[[NEXT]], %[[J16]]], read, locality<2>, data
// CHECK-NOT: memref.prefetch
// CHECK:      math.exp
func.func @two_passes(%x: memref<64x64xf32>, %y: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : vector<32xf32>
  scf.for %row = %c0 to %c64 step %c1 {
    %m = scf.for %j = %c0 to %c64 step %c32 iter_args(%acc = %zero) -> (vector<32xf32>) {
      %v = vector.load %x[%row, %j] : memref<64x64xf32>, vector<32xf32>
      %n = arith.maximumf %acc, %v : vector<32xf32>
      scf.yield %n : vector<32xf32>
    }
    scf.for %j = %c0 to %c64 step %c32 {
      %v = vector.load %x[%row, %j] : memref<64x64xf32>, vector<32xf32>
      %d = arith.subf %v, %m : vector<32xf32>
      %e = math.exp %d : vector<32xf32>
      vector.store %e, %y[%row, %j] : memref<64x64xf32>, vector<32xf32>
    }
  }
  return
}

// -----

// One pass per row (an elementwise op): nothing to overlap.
// CHECK-LABEL: func @one_pass
// CHECK-NOT: memref.prefetch
func.func @one_pass(%x: memref<64x64xf32>, %y: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  scf.for %row = %c0 to %c64 step %c1 {
    scf.for %j = %c0 to %c64 step %c32 {
      %v = vector.load %x[%row, %j] : memref<64x64xf32>, vector<32xf32>
      %e = math.exp %v : vector<32xf32>
      vector.store %e, %y[%row, %j] : memref<64x64xf32>, vector<32xf32>
    }
  }
  return
}

// -----

// A buffer the function allocated is not streamed from memory by the first
// pass: no prefetch.
// CHECK-LABEL: func @local
// CHECK-NOT: memref.prefetch
func.func @local(%y: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %x = memref.alloc() : memref<64x64xf32>
  %zero = arith.constant dense<0.0> : vector<32xf32>
  scf.for %row = %c0 to %c64 step %c1 {
    %m = scf.for %j = %c0 to %c64 step %c32 iter_args(%acc = %zero) -> (vector<32xf32>) {
      %v = vector.load %x[%row, %j] : memref<64x64xf32>, vector<32xf32>
      %n = arith.maximumf %acc, %v : vector<32xf32>
      scf.yield %n : vector<32xf32>
    }
    scf.for %j = %c0 to %c64 step %c32 {
      %e = math.exp %m : vector<32xf32>
      vector.store %e, %y[%row, %j] : memref<64x64xf32>, vector<32xf32>
    }
  }
  memref.dealloc %x : memref<64x64xf32>
  return
}
