#include "scenarios/activity_loads.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace discsim::scenarios {

namespace {

constexpr double deg = std::numbers::pi / 180.0;

void require(bool ok, const char* what, const char* expected, double got) {
    if (ok) return;
    std::ostringstream message;
    message << what << ": expected " << expected << ", got " << got;
    throw InputError(message.str());
}

} // namespace

double heuer_flexion_moment(double angle) {
    using trunk_model::disc_flexion_angle;
    using trunk_model::disc_flexion_moment;
    if (!(angle > 0.0)) return 0.0;
    for (std::size_t i = 1; i < disc_flexion_angle.size(); ++i) {
        if (angle <= disc_flexion_angle[i]) {
            const double t = (angle - disc_flexion_angle[i - 1]) /
                             (disc_flexion_angle[i] - disc_flexion_angle[i - 1]);
            return disc_flexion_moment[i - 1] +
                   t * (disc_flexion_moment[i] - disc_flexion_moment[i - 1]);
        }
    }
    return disc_flexion_moment.back();
}

DiscLoads lifting_loads(const Lifting& lift) {
    using namespace trunk_model;
    require(std::isfinite(lift.load_mass) && lift.load_mass >= 0, "lifting.load_mass",
            "a mass >= 0 kg", lift.load_mass);
    require(std::isfinite(lift.body_mass) && lift.body_mass >= 0, "lifting.body_mass",
            "a mass >= 0 kg", lift.body_mass);
    require(std::isfinite(lift.load_distance) && lift.load_distance >= 0, "lifting.load_distance",
            "a distance >= 0 mm", lift.load_distance);
    require(std::isfinite(lift.trunk_flexion) && lift.trunk_flexion >= 0 &&
                lift.trunk_flexion <= 120,
            "lifting.trunk_flexion", "an angle in [0, 120] deg", lift.trunk_flexion);

    const double theta = lift.trunk_flexion * deg;
    const double upper_mass = upper_body_mass_fraction * lift.body_mass; // kg
    const double upper_lever = upper_body_lever * std::sin(theta);       // m
    const double load_lever = lift.load_distance / 1000.0;               // m
    const double external = gravity * (upper_mass * upper_lever + lift.load_mass * load_lever);
    const double disc_moment = heuer_flexion_moment(segment_flexion_share * lift.trunk_flexion);
    const double extensor_force = std::max(0.0, external - disc_moment) / extensor_moment_arm;
    const double weight = gravity * (upper_mass + lift.load_mass);

    DiscLoads loads;
    loads.compression = extensor_force + weight * std::cos(theta);
    loads.flexion_moment = disc_moment;
    loads.anterior_shear = weight * std::sin(theta);
    return loads;
}

TractionLoads traction_loads(const Traction& traction) {
    if (traction.force.has_value() == traction.body_weight_fraction.has_value()) {
        throw InputError(std::string("traction: expected exactly one of force (N) and "
                                     "body_weight_fraction, got ") +
                         (traction.force ? "both" : "neither"));
    }
    double pull = 0.0;
    if (traction.force) {
        require(std::isfinite(*traction.force) && *traction.force >= 0, "traction.force",
                "a force >= 0 N", *traction.force);
        pull = *traction.force;
    } else {
        const double fraction = *traction.body_weight_fraction;
        require(std::isfinite(fraction) && fraction >= 0, "traction.body_weight_fraction",
                "a fraction >= 0", fraction);
        require(std::isfinite(traction.body_mass) && traction.body_mass >= 0, "traction.body_mass",
                "a mass >= 0 kg", traction.body_mass);
        pull = fraction * traction.body_mass * trunk_model::gravity;
    }
    require(std::isfinite(traction.angle) && std::abs(traction.angle) < 90, "traction.angle",
            "an angle in (-90, 90) deg", traction.angle);
    const double alpha = traction.angle * deg;
    return {pull * std::cos(alpha), pull * std::sin(alpha)};
}

std::vector<LiftingExample> wilke1999_lifting_examples() {
    // Wilke et al. 1999: one volunteer of 70 kg; IDP at L4-5. Postures: docs/loads.md.
    constexpr double volunteer = 70.0;
    return {
        {"lifting_round_back",
         "lifting 20 kg with a round, flexed back and straight knees (stoop): trunk inclined 60 "
         "deg, "
         "hands and load hanging below the shoulders, about 0.43 m x sin 60 deg = 0.37 m in front "
         "of L4-5, so 400 mm",
         Lifting{20.0, 60.0, 400.0, volunteer}, 2.3},
        {"lifting_flexed_knees",
         "lifting 20 kg with flexed knees (squat): trunk inclined 30 deg, load between and just in "
         "front of the knees, 350 mm in front of L4-5",
         Lifting{20.0, 30.0, 350.0, volunteer}, 1.7},
        {"lifting_close_to_body",
         "holding 20 kg close to the body, standing upright: the load's centre about 0.15 m in "
         "front of the abdominal wall, which is about 0.15 m in front of the L4-5 disc: 300 mm",
         Lifting{20.0, 0.0, 300.0, volunteer}, 1.1},
        {"standing_relaxed", "standing upright, relaxed, no load",
         Lifting{0.0, 0.0, 0.0, volunteer}, 0.5},
    };
}

} // namespace discsim::scenarios
