// Solver settings shared by the verification tests.
#pragma once

#include "solver/stepping.hpp"

namespace discsim::test {

/// Tight tolerances for verification: the answers are exact up to the solver's convergence.
inline solver::SteppingSettings tight_stepping() {
    solver::SteppingSettings s;
    s.newton.residual_tolerance = 1e-11;
    s.newton.energy_tolerance = 1e-20;
    s.newton.absolute_residual = 1e-13;
    s.newton.max_iterations = 30;
    return s;
}

} // namespace discsim::test
