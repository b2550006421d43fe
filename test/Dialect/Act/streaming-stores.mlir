// RUN: act-opt %s --split-input-file --act-streaming-stores="vector-bits=256 min-bytes=16384 max-ops-per-store=4" | FileCheck %s

// A loop writing whole registers at register-aligned offsets of a large
// output: versioned on the output's alignment, streaming when aligned, and
// fenced before the return.
// CHECK-LABEL: func @stream
// CHECK-SAME: (%[[X:.*]]: memref<4096xf32>, %[[Y:.*]]: memref<4096xf32>)
// CHECK-DAG: %[[MASK:.*]] = arith.constant 31 : index
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK: %[[LOW:.*]] = arith.andi %[[P]], %[[MASK]]
// CHECK: %[[ALIGNED:.*]] = arith.cmpi eq, %[[LOW]], %[[ZERO]]
// CHECK: scf.if %[[ALIGNED]] {
// CHECK:   scf.for
// CHECK:     vector.store %{{.*}}, %[[Y]][%{{.*}}] {alignment = 32 : i64, nontemporal = true}
// CHECK: } else {
// CHECK:   scf.for
// CHECK:     vector.store %{{.*}}, %[[Y]][%{{.*}}] : memref<4096xf32>, vector<8xf32>
// CHECK: }
// CHECK: llvm.call_intrinsic "llvm.x86.sse.sfence"()
// CHECK-NEXT: return
func.func @stream(%x: memref<4096xf32>, %y: memref<4096xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c4096 = arith.constant 4096 : index
  %zero = arith.constant dense<0.0> : vector<8xf32>
  scf.for %i = %c0 to %c4096 step %c8 {
    %v = vector.load %x[%i] : memref<4096xf32>, vector<8xf32>
    %r = arith.maximumf %v, %zero : vector<8xf32>
    vector.store %r, %y[%i] : memref<4096xf32>, vector<8xf32>
  }
  return
}

// -----

// Rows of 64 floats are register-aligned if the base is; transfer_writes
// through a subview become stores on the base, and the loop's results pass
// through the scf.if.
// CHECK-LABEL: func @rows
// CHECK: scf.for %[[ROW:.*]] =
// CHECK:   %[[R:.*]] = scf.if %{{.*}} -> (vector<8xf32>) {
// CHECK:     %[[S:.*]] = scf.for
// CHECK:       vector.store %{{.*}}, %{{.*}}[%[[ROW]], %{{.*}}] {alignment = 32 : i64, nontemporal = true}
// CHECK:     scf.yield %[[S]]
// CHECK:   } else {
// CHECK:   vector.reduction <add>, %[[R]]
func.func @rows(%x: memref<64x64xf32>, %y: memref<64x64xf32>, %sums: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<8xf32>
  scf.for %row = %c0 to %c64 step %c1 {
    %acc = scf.for %i = %c0 to %c64 step %c8 iter_args(%a = %zero) -> (vector<8xf32>) {
      %v = vector.load %x[%row, %i] : memref<64x64xf32>, vector<8xf32>
      %sv = memref.subview %y[%row, %i] [1, 8] [1, 1] : memref<64x64xf32> to memref<8xf32, strided<[1], offset: ?>>
      vector.transfer_write %v, %sv[%c0] {in_bounds = [true]} : vector<8xf32>, memref<8xf32, strided<[1], offset: ?>>
      %n = arith.addf %a, %v : vector<8xf32>
      scf.yield %n : vector<8xf32>
    }
    %s = vector.reduction <add>, %acc : vector<8xf32> into f32
    memref.store %s, %sums[%row] : memref<64xf32>
  }
  return
}

// -----

// Left alone: an output below min-bytes, an offset that is not a whole
// register, an output read again after the loop, a compute-bound loop.
// CHECK-LABEL: func @small
// CHECK-NOT: nontemporal
// CHECK-NOT: sfence
func.func @small(%x: memref<1024xf32>, %y: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c1024 = arith.constant 1024 : index
  scf.for %i = %c0 to %c1024 step %c8 {
    %v = vector.load %x[%i] : memref<1024xf32>, vector<8xf32>
    vector.store %v, %y[%i] : memref<1024xf32>, vector<8xf32>
  }
  return
}

// -----

// CHECK-LABEL: func @misaligned
// CHECK-NOT: nontemporal
func.func @misaligned(%x: memref<8192xf32>, %y: memref<8192xf32>) {
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c4096 = arith.constant 4096 : index
  scf.for %i = %c1 to %c4096 step %c8 {
    %v = vector.load %x[%i] : memref<8192xf32>, vector<8xf32>
    vector.store %v, %y[%i] : memref<8192xf32>, vector<8xf32>
  }
  return
}

// -----

// CHECK-LABEL: func @read_back
// CHECK-NOT: nontemporal
func.func @read_back(%x: memref<4096xf32>, %y: memref<4096xf32>) -> vector<8xf32> {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c4096 = arith.constant 4096 : index
  scf.for %i = %c0 to %c4096 step %c8 {
    %v = vector.load %x[%i] : memref<4096xf32>, vector<8xf32>
    vector.store %v, %y[%i] : memref<4096xf32>, vector<8xf32>
  }
  %w = vector.load %y[%c0] : memref<4096xf32>, vector<8xf32>
  return %w : vector<8xf32>
}

// -----

// CHECK-LABEL: func @compute_bound
// CHECK-NOT: nontemporal
func.func @compute_bound(%x: memref<4096xf32>, %y: memref<4096xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c4096 = arith.constant 4096 : index
  scf.for %i = %c0 to %c4096 step %c8 {
    %v = vector.load %x[%i] : memref<4096xf32>, vector<8xf32>
    %a = math.exp %v : vector<8xf32>
    %b = math.exp %a : vector<8xf32>
    %c = math.exp %b : vector<8xf32>
    %d = math.exp %c : vector<8xf32>
    %e = math.exp %d : vector<8xf32>
    vector.store %e, %y[%i] : memref<4096xf32>, vector<8xf32>
  }
  return
}
