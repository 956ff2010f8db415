// The confined biphasic column of the verification tests (tests/test_biphasic_consolidation.cpp,
// tests/test_biphasic_system.cpp): a unit cross-section of height 1 mm, its material, and
// Terzaghi's series solution (Terzaghi 1923) for a compressive traction applied at t = 0 on
// the drained top, the bottom fixed and sealed. Small strain: the load is 1e-4 of H_A.
#pragma once

#include <cmath>
#include <numbers>

namespace discsim::test::column {

inline constexpr double height = 1.0;        // mm
inline constexpr double c10 = 0.1, bulk = 0.4; // MPa: mu = 0.2, H_A = K + 4 mu / 3
inline constexpr double permeability = 1e-2; // mm^4/(N s)
inline constexpr double aggregate = bulk + 4.0 * (2.0 * c10) / 3.0;  // H_A, MPa
inline constexpr double consolidation = permeability * aggregate;   // c, mm^2/s
inline constexpr double load = 1e-4 * aggregate;                    // s0, MPa

/// p(z, T) = sum_m 4 s0 / ((2m + 1) pi) sin((2m + 1) pi (H - z) / (2H)) exp(-(2m + 1)^2 pi^2 T / 4),
/// T = c t / H^2.
inline double terzaghi_pressure(double z, double T) {
    double sum = 0.0;
    for (int m = 0; m < 200; ++m) {
        const double n = 2 * m + 1;
        sum += 4.0 / (n * std::numbers::pi) *
               std::sin(n * std::numbers::pi * (height - z) / (2 * height)) *
               std::exp(-n * n * std::numbers::pi * std::numbers::pi * T / 4.0);
    }
    return load * sum;
}

/// settlement(T) = s0 H / H_A (1 - sum_m 8 / ((2m + 1)^2 pi^2) exp(-(2m + 1)^2 pi^2 T / 4)).
inline double terzaghi_settlement(double T) {
    double sum = 0.0;
    for (int m = 0; m < 200; ++m) {
        const double n = 2 * m + 1;
        sum += 8.0 / (n * n * std::numbers::pi * std::numbers::pi) *
               std::exp(-n * n * std::numbers::pi * std::numbers::pi * T / 4.0);
    }
    return load * height / aggregate * (1.0 - sum);
}

} // namespace discsim::test::column
