// Activity load models (docs/model.md "Loads", docs/loads.md): a lift described by the person
// becomes disc compression and a flexion moment; a traction pull becomes an axial and an
// anterior force. Inputs in the units of scenario.hpp (kg, degrees, mm, N); outputs in N and N m.
//
// Lifting: a static sagittal lever model of the trunk about the disc (the classic single-
// equivalent-extensor model of occupational biomechanics, e.g. Chaffin, Andersson & Martin 1999,
// "Occupational Biomechanics"), for the L4-5 disc:
//
//   m_u     = f_u * body_mass                       upper-body mass above L4-5, f_u = 0.536
//   d_u     = L_u * sin(theta)                      upper-body horizontal lever, L_u = 0.26 m
//   M_ext   = g * (m_u * d_u + m_load * d_load)     external flexion moment about the disc, N m
//   phi     = s * theta                             L4-5 share of trunk flexion, s = 0.14
//   M_disc  = heuer_flexion_moment(phi) <= 7.5 N m  moment bending the disc by phi (Heuer 2007)
//   F_m     = max(0, M_ext - M_disc) / r            back extensors, moment arm r = 0.05 m
//   C       = F_m + g * (m_u + m_load) * cos(theta) disc compression, N
//   V       = g * (m_u + m_load) * sin(theta)       anterior shear (reported, not applied)
//
// theta = trunk_flexion (forward inclination of the trunk from upright), d_load = load_distance,
// g = 9.81 m/s^2. Sources of the constants:
//   f_u = 0.536: Dempster (1955) segment masses as tabulated by Winter (1990, "Biomechanics and
//     Motor Control of Human Movement"): head 0.081 + thorax 0.216 + abdomen (T12-L1 to L4-L5)
//     0.139 + two upper extremities 2 x 0.050 of body mass.
//   L_u = 0.26 m: distance from L5-S1 to the centre of mass of the trunk with head and arms (at
//     the T8-9 level), Chaffin et al. (1999), as tabulated in J Electromyogr Kinesiol (2012)
//     22:814; used for L4-5 as well (the two differ by about one segment height, ~4 cm, which
//     is within the spread between people).
//   r = 0.05 m: the fixed erector spinae lever arm of simple biomechanical models (docs/model.md
//     "Loads"; "typically approximated using a fixed value (5 cm or 2 inches)", Gungor 2013,
//     PhD thesis, Auburn University); MRI and CT measurements (Jorgensen et al. 2001, Clin
//     Biomech 16:182) give person-specific values of the same order.
//   s = 0.14 and M_disc: the disc's own flexion moment comes from posture, not from the load:
//     the L4-5 segment takes about 13 of roughly 90 degrees of full forward bending (in vivo
//     L4-5 flexion about 12-14 degrees, Pearcy et al. 1984 Spine 9:294, *unverified*; the rest
//     of trunk flexion is the other lumbar levels and the hips, the lumbopelvic rhythm, Vazirian
//     et al. 2016, Int Musculoskelet Med 38:51), and the moment that bends an isolated L4-5
//     disc by phi is read from the median moment-rotation curve of Heuer et al. 2007 (J Biomech
//     40:271; scenarios/validation/heuer2007_L45_isolated_disc_rom.csv), the curve the default
//     materials are calibrated to, linear between its points and capped at its last point
//     (7.5 N m, the reference moment of in vitro testing). In vivo disc moments in lifting are of
//     this order (at most 4.2 N m at L3-4 in a kinematics-driven FE study of weight lifting in
//     three subjects, PubMed Central PMC3943591), far below M_ext:
//     muscles, not the disc, balance the lift. M_disc is subtracted from the moment the muscles
//     must supply (static balance M_ext = F_m r + M_disc).
// The muscle line of action is taken parallel to the disc axis; the disc plane inclines with
// the trunk. The model ignores muscle co-contraction, intra-abdominal pressure and the
// ligaments' share of M_ext, so it over-predicts lifting compression and under-predicts relaxed
// standing; docs/loads.md compares it with Wilke et al. 1999 (in vivo IDP at L4-5).
//
// Traction: a pull F at angle alpha in the sagittal plane from the spine's long axis, positive
// anterior: axial distraction F cos(alpha) (+z on the upper vertebra), anterior component
// F sin(alpha) (+x). F is `force`, or body_weight_fraction * body_mass * g. Clinical doses are
// 1/5 to 1/2 of body weight, and 40-50 % of body weight is quoted as needed to separate the
// vertebrae on a friction-free table (docs/model.md "Loads"; Saunders Group 2004, "Saunders
// Lumbar Traction", a manufacturer's literature summary).
#pragma once

#include "scenarios/scenario.hpp"

#include <array>
#include <string>
#include <vector>

namespace discsim::scenarios {

/// The documented constants of the trunk model (see the header comment for their sources).
namespace trunk_model {
inline constexpr double gravity = 9.81;                   ///< m/s^2
inline constexpr double upper_body_mass_fraction = 0.536; ///< of body mass, above L4-5
inline constexpr double upper_body_lever = 0.26;          ///< m, disc to upper-body CoM
inline constexpr double extensor_moment_arm = 0.05;       ///< m
inline constexpr double segment_flexion_share = 0.14;     ///< deg of L4-5 flexion per deg of trunk
/// Heuer et al. 2007, isolated L4-5 discs, flexion: rotation (deg) at each moment (N m).
inline constexpr std::array<double, 5> disc_flexion_angle = {0.0, 4.95, 6.64, 8.38, 10.11};
inline constexpr std::array<double, 5> disc_flexion_moment = {0.0, 1.0, 2.5, 5.0, 7.5};
} // namespace trunk_model

/// Loads on the disc from an activity, in user units.
struct DiscLoads {
    double compression = 0;    ///< N, > 0 compressive (applied as a follower load)
    double flexion_moment = 0; ///< N m, about +y (flexion)
    double anterior_shear = 0; ///< N, of the upper vertebra; informative, not applied
};

/// The static trunk model above. Throws InputError for a negative mass or distance or a trunk
/// flexion outside [0, 120] degrees.
DiscLoads lifting_loads(const Lifting& lift);

/// The moment (N m) that flexes an isolated L4-5 disc by `angle` degrees: the Heuer et al. 2007
/// median curve, linear between its points, 0 at or below 0 and 7.5 N m at or above 10.11 deg.
double heuer_flexion_moment(double angle);

struct TractionLoads {
    double axial = 0;    ///< N, > 0 distraction (+z on the upper vertebra)
    double anterior = 0; ///< N along +x
};

/// F cos(angle) and F sin(angle). Throws InputError unless exactly one of force and
/// body_weight_fraction is given, both non-negative, with |angle| < 90 degrees.
TractionLoads traction_loads(const Traction& traction);

/// A posture of Wilke et al. 1999 (Spine 24:755, one 70 kg volunteer, L4-5) with the intradiscal
/// pressure measured in it, as a documented example of the lifting model (docs/loads.md).
struct LiftingExample {
    std::string name;
    std::string description; ///< the posture and why its parameters were chosen
    Lifting lifting;
    double measured_idp = 0; ///< MPa
};

/// Wilke et al. 1999's three ways of lifting 20 kg and relaxed standing, in that order:
/// round back, flexed knees, close to the body, standing.
std::vector<LiftingExample> wilke1999_lifting_examples();

} // namespace discsim::scenarios
