//! Benchmarks of CarVrooom: criterion micro-benches per operator and the
//! end-to-end harness live here (see the "Speed, measured against peers" issue).
