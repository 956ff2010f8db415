// What every constitutive model returns: energy, second Piola-Kirchhoff stress and material
// tangent CC = 2 dS/dC in the Voigt form of tensor.hpp.
#pragma once

#include "materials/tensor.hpp"

namespace discsim::materials {

struct Response {
    double psi = 0.0;
    Mat3 S = Mat3::Zero();
    Mat6 D = Mat6::Zero();
};

} // namespace discsim::materials
