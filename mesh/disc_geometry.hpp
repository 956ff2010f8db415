// Parametric geometry of a lumbar intervertebral disc (PHYSICS.md section 2).
//
// Cross-section (transverse plane, x anterior, y left): a kidney shape written in polar form
// about a pole c on the x axis,
//     r(phi) = R_n(phi) * (1 - d * ((1 - cos phi) / 2)^8),
//     R_n(phi) = (|cos phi / a|^n + |sin phi / b|^n)^(-1/n)          (a superellipse),
// where the second factor carves the posterior concavity (the spinal-canal side, phi = 180 deg)
// of depth a*d, leaving the anterior and lateral rim convex. a and d follow from the
// midsagittal depth D and the concavity depth c (a = (D + c) / 2, d = c / a); b is solved so
// that the largest lateral extent equals the width W; n ("outline_exponent") sets how
// rectangular the shape is (2 = ellipse). The pole is placed so that the area centroid of
// the cross-section is the origin (the centre of the inferior endplate, PHYSICS.md 1).
//
// Nucleus: the outline scaled by sqrt(nucleus_share) about its centroid, then shifted
// posteriorly by nucleus_offset_posterior, so its area is exactly share * A.
//
// Height: linear in x between the posterior rim (smallest x of the outline, posterior_height)
// and the anterior rim (largest x, anterior_height): the wedge. The superior endplate is the
// plane z = h(x); the inferior endplate is z = 0.
//
// Closed forms used by the tests: A = 1/2 * integral r^2 dphi (evaluated by the trapezoidal
// rule on 2^16 points, which for this smooth periodic integrand is exact to round-off), and,
// because h is linear and the centroid is the origin, V = A * h(0).
#pragma once

#include "core/parameter.hpp"

#include <Eigen/Core>

#include <span>
#include <string>
#include <string_view>

namespace discsim::mesh {

enum class Segment { L4_L5, L5_S1 };
enum class Resolution { coarse, medium, fine };

std::string_view segment_name(Segment segment);       ///< "L4-5", "L5-S1"
std::string_view resolution_name(Resolution resolution); ///< "coarse", ...
/// Parses "L4-5" / "L4-L5" / "L5-S1" (case-insensitive); throws InputError otherwise.
Segment parse_segment(std::string_view text);
/// Parses "coarse" / "medium" / "fine"; throws InputError otherwise.
Resolution parse_resolution(std::string_view text);

/// Every geometry and mesh-count value of a disc. Units: mm and degrees.
struct DiscParameters {
    // Geometry (PHYSICS.md section 2 table; sources in disc_geometry.cpp).
    double depth = 0;                    ///< anteroposterior depth at the midsagittal plane
    double width = 0;                    ///< largest lateral extent
    double posterior_concavity = 0;      ///< depth of the posterior notch
    double outline_exponent = 0;         ///< superellipse exponent, 2 = ellipse
    double anterior_height = 0;          ///< disc height at the anterior rim
    double posterior_height = 0;         ///< disc height at the posterior rim
    double nucleus_share = 0;            ///< nucleus area / disc area in the transverse plane
    double nucleus_offset_posterior = 0; ///< nucleus centroid behind the disc centroid
    double fibre_angle_inner = 0;        ///< fibre angle to the transverse plane, ring 1
    double fibre_angle_outer = 0;        ///< fibre angle to the transverse plane, outer ring
    // Mesh counts.
    int annulus_rings = 0;             ///< element rings across the annulus
    int circumferential_divisions = 0; ///< elements around the circumference (multiple of 4)
    int nucleus_radial_divisions = 0;  ///< element rings between the nucleus core block and rim
    int axial_layers = 0;              ///< element layers from inferior to superior endplate
    /// Outer-wall grading (mm; 0 = none): the outermost annulus ring split into sub-rings of the
    /// same lamella (region, fibres), this thick at the wall and doubling inwards to at most
    /// half the ring. It resolves the drained boundary layer of the biphasic disc (docs/mesh.md).
    double outer_wall_layer = 0;
};

/// The preset of a segment at a resolution (counts in docs/mesh.md).
DiscParameters preset(Segment segment, Resolution resolution = Resolution::medium);

/// The declared parameters, in the order users see them (`discsim mesh --help`).
std::span<const ParameterSpec> disc_parameter_specs();

/// Sets one parameter by name, checking its declared range. Throws InputError naming the key
/// (with the nearest valid key suggested) when the key is unknown or the value out of range.
void set_parameter(DiscParameters& parameters, std::string_view key, double value);
double get_parameter(const DiscParameters& parameters, std::string_view key);

/// Checks the whole set: each value in range, and the combinations (concavity against depth,
/// the nucleus inside the disc with annulus to spare). Throws InputError naming the parameter.
void validate(const DiscParameters& parameters);

/// The analytic cross-section and height field of one disc.
class DiscOutline {
public:
    /// Validates `parameters` first.
    explicit DiscOutline(const DiscParameters& parameters);

    /// Outer rim point at polar parameter phi (radians) about the pole.
    Eigen::Vector2d outer_point(double phi) const;
    /// Nucleus rim point at the same parameter.
    Eigen::Vector2d nucleus_point(double phi) const;
    /// Where the outward normal of the nucleus rim at parameter phi meets the outer rim: the
    /// annulus is meshed along these lines, which cross both walls at close to right angles.
    Eigen::Vector2d wall_point(double phi) const;
    /// Point a fraction t in [0, 1] of the way from nucleus_point(phi) to wall_point(phi).
    Eigen::Vector2d annulus_point(double phi, double t) const;
    /// The annulus's width along that normal line, |wall_point(phi) - nucleus_point(phi)| (mm).
    double annulus_width(double phi) const;
    /// The outermost annulus ring's radial size at its thinnest (mm), sampled densely: half of
    /// it bounds the outer-wall grading (checked when outer_wall_layer > 0, else 0).
    double thinnest_outer_ring() const { return thinnest_outer_ring_; }
    /// Maps a reference point of the unit disk (|p| <= 1) into the nucleus; |p| = 1 lands on
    /// nucleus_point(atan2(p)).
    Eigen::Vector2d nucleus_map(const Eigen::Vector2d& reference) const;

    double height(double x) const; ///< disc height at anteroposterior position x

    double area() const { return area_; }
    double nucleus_area() const { return area_ * scale_ * scale_; }
    double volume() const { return area_ * height(0.0); }
    double x_min() const { return x_min_; }
    double x_max() const { return x_max_; }
    /// Smallest annulus thickness along the radial lines (mm): the distance from the nucleus
    /// rim to the outer rim.
    double min_annulus_thickness() const;

    const DiscParameters& parameters() const { return parameters_; }

private:
    double radius(double phi) const;
    DiscParameters parameters_;
    double a_ = 0, b_ = 0, notch_ = 0; // superellipse semi-axes and relative notch depth
    double scale_ = 0;                 // sqrt(nucleus_share)
    Eigen::Vector2d pole_;             // polar origin of the outline
    Eigen::Vector2d nucleus_pole_;     // image of the pole in the nucleus
    double area_ = 0, x_min_ = 0, x_max_ = 0;
    double thinnest_outer_ring_ = 0;
};

} // namespace discsim::mesh
