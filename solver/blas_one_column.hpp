// DGEMM and DTRSM with a single right-hand side done as DGEMV and DTRSV, for the sparse direct
// solvers' solve phase (solver/blas_one_column.cpp says why).
#pragma once

namespace discsim::solver {

/// Whether the libraries' dgemm_ and dtrsm_ are discsim's forwarding ones (the dynamic linker
/// finds them first). linear_solver.cpp calls it, which also links them into every program.
bool blas_one_column_forwarded();

} // namespace discsim::solver
