// RUN: act-opt %s --split-input-file --act-parallelize="threads=3 min-parallel-work=0" | FileCheck %s --check-prefix=THREE
// RUN: act-opt %s --split-input-file --act-parallelize="min-parallel-work=0" | FileCheck %s --check-prefix=RUNTIME
// RUN: act-opt %s --split-input-file --act-parallelize | FileCheck %s --check-prefix=DEFAULT

// A marked loop becomes an scf.parallel over 3 chunks of whole iterations,
// each running the original loop over [lb + t*c*s, min(ub, lb + (t+1)*c*s)),
// c = ceil(ceil((ub - lb) / s) / 3). The scratch buffer it writes, hoisted
// out of it and of no use after it, gets one copy per chunk; the buffer it
// only reads and the output stay shared. Nested marked loops stay
// sequential; the markers are removed.
// THREE-LABEL: func.func @rows
// THREE-DAG:     %[[C3:.*]] = arith.constant 3 : index
// THREE-DAG:     %[[C64:.*]] = arith.constant 64 : index
// THREE-DAG:     %[[C4:.*]] = arith.constant 4 : index
// THREE-NOT:     memref.alloc
// THREE:         %[[TRIPS:.*]] = arith.ceildivui %{{.*}}, %[[C4]]
// THREE:         %[[PER:.*]] = arith.ceildivui %[[TRIPS]], %[[C3]]
// THREE:         %[[CHUNK:.*]] = arith.muli %[[PER]], %[[C4]]
// THREE:         scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[C3]])
// THREE:           %[[OFF:.*]] = arith.muli %[[T]], %[[CHUNK]]
// THREE:           %[[FIRST:.*]] = arith.addi %{{.*}}, %[[OFF]]
// THREE:           %[[END:.*]] = arith.addi %[[FIRST]], %[[CHUNK]]
// THREE:           %[[LAST:.*]] = arith.minsi %[[C64]], %[[END]]
// THREE:           %[[PRIVATE:.*]] = memref.alloc() : memref<16xf32>
// THREE:           scf.for %[[I:.*]] = %[[FIRST]] to %[[LAST]] step %[[C4]] {
// THREE:             memref.store %{{.*}}, %[[PRIVATE]]
// THREE:             memref.load %arg1
// THREE:             scf.for
// THREE-NOT:         scf.parallel
// THREE:             memref.store %{{.*}}, %arg0[%[[I]]]
// THREE:           }
// THREE:           memref.dealloc %[[PRIVATE]]
// THREE:         }
// THREE-NOT:     memref.dealloc
// THREE-NOT:     act.parallel
// RUNTIME-LABEL: func.func @rows
// RUNTIME:         %[[N:.*]] = call @omp_get_max_threads() : () -> i32
// RUNTIME:         %[[NI:.*]] = arith.index_cast %[[N]] : i32 to index
// RUNTIME:         %[[T:.*]] = arith.maxsi %[[NI]], %{{.*}} : index
// RUNTIME:         scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[T]])
func.func @rows(%out: memref<64xf32>, %shared: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %scratch = memref.alloc() : memref<16xf32>
  scf.for %i = %c0 to %c64 step %c4 {
    %v = arith.constant 1.0 : f32
    memref.store %v, %scratch[%c0] : memref<16xf32>
    %s = memref.load %shared[%c0] : memref<16xf32>
    scf.for %j = %c0 to %c4 step %c1 {
      %w = memref.load %scratch[%c0] : memref<16xf32>
      memref.store %w, %scratch[%j] : memref<16xf32>
    } {act.parallel}
    %r = arith.addf %s, %v : f32
    memref.store %r, %out[%i] : memref<64xf32>
  } {act.parallel}
  memref.dealloc %scratch : memref<16xf32>
  return
}

// -----

// A loop still carrying values (bufferization could not make it write in
// place) stays sequential.
// THREE-LABEL: func.func @carried
// THREE-NOT:     scf.parallel
// THREE:         scf.for {{.*}} iter_args
func.func @carried(%x: memref<64xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %z = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %c64 step %c1 iter_args(%a = %z) -> f32 {
    %v = memref.load %x[%i] : memref<64xf32>
    %n = arith.addf %a, %v : f32
    scf.yield %n : f32
  } {act.parallel}
  return %s : f32
}

// -----

// With the default min-parallel-work, a loop of 64 x 16 elements (as far as
// its static trip counts tell) stays sequential: a parallel region would cost
// more than it. A dynamic trip count is split.
// DEFAULT-LABEL: func.func @small
// DEFAULT-NOT:     scf.parallel
// DEFAULT:         scf.for
// DEFAULT-NOT:     act.parallel
// DEFAULT-LABEL: func.func @dynamic
// DEFAULT:         scf.parallel
func.func @small(%out: memref<64x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %v = arith.constant dense<1.0> : vector<16xf32>
  scf.for %i = %c0 to %c64 step %c1 {
    vector.store %v, %out[%i, %c0] : memref<64x16xf32>, vector<16xf32>
  } {act.parallel}
  return
}
func.func @dynamic(%out: memref<?x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %v = arith.constant dense<1.0> : vector<16xf32>
  scf.for %i = %c0 to %n step %c1 {
    vector.store %v, %out[%i, %c0] : memref<?x16xf32>, vector<16xf32>
  } {act.parallel}
  return
}
