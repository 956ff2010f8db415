#include "solver/model.hpp"

namespace discsim::solver {

LoadState interpolate(const LoadState& a, const LoadState& b, double t,
                      const Vec3& start_displacement, const Vec3& start_rotation) {
    LoadState out;
    out.force = (1 - t) * a.force + t * b.force;
    out.moment = (1 - t) * a.moment + t * b.moment;
    out.follower_force = (1 - t) * a.follower_force + t * b.follower_force;
    out.prescribed_scale = (1 - t) * a.prescribed_scale + t * b.prescribed_scale;
    out.pressure = (1 - t) * a.pressure + t * b.pressure;
    out.osmotic_scale = (1 - t) * a.osmotic_scale + t * b.osmotic_scale;
    for (int i = 0; i < 3; ++i) {
        if (b.rp_displacement[i]) {
            const double from = a.rp_displacement[i].value_or(start_displacement[i]);
            out.rp_displacement[i] = (1 - t) * from + t * *b.rp_displacement[i];
        }
        if (b.rp_rotation[i]) {
            const double from = a.rp_rotation[i].value_or(start_rotation[i]);
            out.rp_rotation[i] = (1 - t) * from + t * *b.rp_rotation[i];
        }
    }
    return out;
}

} // namespace discsim::solver
