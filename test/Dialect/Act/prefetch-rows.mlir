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

// -----

// A backward activation's loop: two argument streams. Each is prefetched 2 KiB
// (512 floats) ahead, one line of 16 floats at a time, clamped to the last
// element. A loop over one stream (below) is left to the hardware prefetcher.
// CHECK-LABEL: func @two_streams
// CHECK-SAME: (%[[DY:[^:]*]]: memref<4096xf32>, %[[X:[^:]*]]: memref<4096xf32>
// CHECK: scf.for %[[I:.*]] = {{.*}} {
// CHECK-DAG: %[[LAST:.*]] = arith.constant 4095 : index
// CHECK-DAG: %[[A0:.*]] = arith.constant 512 : index
// CHECK: %[[P0:.*]] = arith.addi %[[I]], %[[A0]] : index
// CHECK: %[[Q0:.*]] = arith.minsi %[[P0]], %[[LAST]] : index
// CHECK: memref.prefetch %[[DY]][%[[Q0]]], read, locality<3>, data
// CHECK: %[[A1:.*]] = arith.constant 528 : index
// CHECK: memref.prefetch %[[DY]]
// CHECK: memref.prefetch %[[X]]
// CHECK: memref.prefetch %[[X]]
// CHECK-NOT: memref.prefetch
// CHECK: vector.load
// CHECK-LABEL: func @one_stream
// CHECK-NOT: memref.prefetch
func.func @two_streams(%dy: memref<4096xf32>, %x: memref<4096xf32>, %out: memref<4096xf32>) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c4096 = arith.constant 4096 : index
  scf.for %i = %c0 to %c4096 step %c32 {
    %a = vector.load %dy[%i] : memref<4096xf32>, vector<32xf32>
    %b = vector.load %x[%i] : memref<4096xf32>, vector<32xf32>
    %m0 = arith.mulf %a, %b : vector<32xf32>
    %m1 = arith.mulf %m0, %b : vector<32xf32>
    %m2 = arith.mulf %m1, %b : vector<32xf32>
    %m3 = arith.mulf %m2, %b : vector<32xf32>
    %m4 = arith.mulf %m3, %b : vector<32xf32>
    %m5 = arith.mulf %m4, %b : vector<32xf32>
    %m6 = arith.mulf %m5, %b : vector<32xf32>
    %m7 = arith.mulf %m6, %b : vector<32xf32>
    %m8 = arith.mulf %m7, %b : vector<32xf32>
    %m9 = arith.mulf %m8, %b : vector<32xf32>
    %m10 = arith.mulf %m9, %b : vector<32xf32>
    %m11 = arith.mulf %m10, %b : vector<32xf32>
    %m12 = arith.mulf %m11, %b : vector<32xf32>
    %m13 = arith.mulf %m12, %b : vector<32xf32>
    %m14 = arith.mulf %m13, %b : vector<32xf32>
    %m15 = arith.mulf %m14, %b : vector<32xf32>
    %m16 = arith.mulf %m15, %b : vector<32xf32>
    %m17 = arith.mulf %m16, %b : vector<32xf32>
    %m18 = arith.mulf %m17, %b : vector<32xf32>
    %m19 = arith.mulf %m18, %b : vector<32xf32>
    %m20 = arith.mulf %m19, %b : vector<32xf32>
    %m21 = arith.mulf %m20, %b : vector<32xf32>
    %m22 = arith.mulf %m21, %b : vector<32xf32>
    %m23 = arith.mulf %m22, %b : vector<32xf32>
    %m24 = arith.mulf %m23, %b : vector<32xf32>
    %m25 = arith.mulf %m24, %b : vector<32xf32>
    %m26 = arith.mulf %m25, %b : vector<32xf32>
    %m27 = arith.mulf %m26, %b : vector<32xf32>
    %m28 = arith.mulf %m27, %b : vector<32xf32>
    %m29 = arith.mulf %m28, %b : vector<32xf32>
    %m30 = arith.mulf %m29, %b : vector<32xf32>
    %m31 = arith.mulf %m30, %b : vector<32xf32>
    %m32 = arith.mulf %m31, %b : vector<32xf32>
    %m33 = arith.mulf %m32, %b : vector<32xf32>
    %m34 = arith.mulf %m33, %b : vector<32xf32>
    %m35 = arith.mulf %m34, %b : vector<32xf32>
    %m36 = arith.mulf %m35, %b : vector<32xf32>
    %m37 = arith.mulf %m36, %b : vector<32xf32>
    %m38 = arith.mulf %m37, %b : vector<32xf32>
    %m39 = arith.mulf %m38, %b : vector<32xf32>
    %m40 = arith.mulf %m39, %b : vector<32xf32>
    %m41 = arith.mulf %m40, %b : vector<32xf32>
    %m42 = arith.mulf %m41, %b : vector<32xf32>
    %m43 = arith.mulf %m42, %b : vector<32xf32>
    %m44 = arith.mulf %m43, %b : vector<32xf32>
    %m45 = arith.mulf %m44, %b : vector<32xf32>
    %m46 = arith.mulf %m45, %b : vector<32xf32>
    %m47 = arith.mulf %m46, %b : vector<32xf32>
    %m48 = arith.mulf %m47, %b : vector<32xf32>
    vector.store %m48, %out[%i] : memref<4096xf32>, vector<32xf32>
  }
  return
}
func.func @one_stream(%x: memref<4096xf32>, %out: memref<4096xf32>) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c4096 = arith.constant 4096 : index
  scf.for %i = %c0 to %c4096 step %c32 {
    %a = vector.load %x[%i] : memref<4096xf32>, vector<32xf32>
    %b = math.exp %a : vector<32xf32>
    %m = arith.addf %a, %b : vector<32xf32>
    vector.store %m, %out[%i] : memref<4096xf32>, vector<32xf32>
  }
  return
}
