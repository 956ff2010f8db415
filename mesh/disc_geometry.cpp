#include "mesh/disc_geometry.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numbers>

namespace discsim::mesh {

namespace {

constexpr double pi = std::numbers::pi;
constexpr double inf = std::numeric_limits<double>::infinity();
// Exponent of the posterior notch profile ((1 - cos phi) / 2)^p: 8 confines the concavity
// to about +-35 degrees around the posterior midline, as on axial MRI of lumbar discs.
constexpr int notch_exponent = 8;
// Least annulus left between the nucleus rim and the outer rim; the outer lamellae are
// never thinner than this in the specimens the presets come from.
constexpr double min_annulus_mm = 1.0;
// Trapezoidal rule points for the closed-form integrals over the periodic outline.
constexpr int outline_quadrature_points = 1 << 16;

struct ParameterEntry {
    ParameterSpec spec;
    double DiscParameters::*real = nullptr;
    int DiscParameters::*count = nullptr;
};

// clang-format off
const std::array<ParameterEntry, 15> parameter_table{{
    {{"depth", "mm", 0, 100, false, true, false,
      "anteroposterior depth at the midsagittal plane"}, &DiscParameters::depth, nullptr},
    {{"width", "mm", 0, 120, false, true, false,
      "largest lateral extent"}, &DiscParameters::width, nullptr},
    {{"posterior_concavity", "mm", 0, 20, true, true, false,
      "depth of the posterior notch (spinal canal side); below a third of depth"},
     &DiscParameters::posterior_concavity, nullptr},
    {{"outline_exponent", "1", 2, 6, true, true, false,
      "superellipse exponent of the outline: 2 = ellipse, larger = more rectangular"},
     &DiscParameters::outline_exponent, nullptr},
    {{"anterior_height", "mm", 0, 40, false, true, false,
      "disc height at the anterior rim"}, &DiscParameters::anterior_height, nullptr},
    {{"posterior_height", "mm", 0, 40, false, true, false,
      "disc height at the posterior rim"}, &DiscParameters::posterior_height, nullptr},
    {{"nucleus_share", "1", 0, 1, false, false, false,
      "nucleus area over disc area in the transverse plane"},
     &DiscParameters::nucleus_share, nullptr},
    {{"nucleus_offset_posterior", "mm", -20, 20, true, true, false,
      "nucleus centroid behind the disc centroid (negative = anterior)"},
     &DiscParameters::nucleus_offset_posterior, nullptr},
    {{"fibre_angle_inner", "deg", 0, 90, true, false, false,
      "annulus fibre angle to the transverse plane in the innermost ring"},
     &DiscParameters::fibre_angle_inner, nullptr},
    {{"fibre_angle_outer", "deg", 0, 90, true, false, false,
      "annulus fibre angle to the transverse plane in the outermost ring"},
     &DiscParameters::fibre_angle_outer, nullptr},
    {{"annulus_rings", "count", 1, 64, true, true, true,
      "element rings across the annulus (lamellae groups)"},
     nullptr, &DiscParameters::annulus_rings},
    {{"circumferential_divisions", "count", 8, 512, true, true, true,
      "elements around the circumference; a multiple of 4"},
     nullptr, &DiscParameters::circumferential_divisions},
    {{"nucleus_radial_divisions", "count", 1, 64, true, true, true,
      "element rings between the nucleus core block and the nucleus rim"},
     nullptr, &DiscParameters::nucleus_radial_divisions},
    {{"axial_layers", "count", 1, 128, true, true, true,
      "element layers from the inferior to the superior endplate"},
     nullptr, &DiscParameters::axial_layers},
    {{"outer_wall_layer", "mm", 0, 5, true, true, false,
      "outer-wall grading: thickness of the outermost of sub-rings that double inwards, split off the outermost annulus ring (0 = none)"},
     &DiscParameters::outer_wall_layer, nullptr},
}};
// clang-format on

const ParameterEntry& find_entry(std::string_view key) {
    for (const auto& entry : parameter_table) {
        if (entry.spec.name == key) return entry;
    }
    std::array<std::string_view, parameter_table.size()> names;
    std::transform(parameter_table.begin(), parameter_table.end(), names.begin(),
                   [](const ParameterEntry& e) { return e.spec.name; });
    std::string message = "unknown disc parameter '" + std::string(key) + "'";
    if (auto hint = nearest_name(key, names); !hint.empty()) {
        message += " (did you mean '" + hint + "'?)";
    }
    message += "; see `discsim mesh --help` for the list";
    throw InputError(message);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Superellipse radius in direction phi.
double superellipse_radius(double phi, double a, double b, double n) {
    const double c = std::abs(std::cos(phi)) / a;
    const double s = std::abs(std::sin(phi)) / b;
    return std::pow(std::pow(c, n) + std::pow(s, n), -1.0 / n);
}

double notch_profile(double phi) { return std::pow(0.5 * (1.0 - std::cos(phi)), notch_exponent); }

} // namespace

std::string_view segment_name(Segment segment) {
    return segment == Segment::L4_L5 ? "L4-5" : "L5-S1";
}

std::string_view resolution_name(Resolution resolution) {
    switch (resolution) {
    case Resolution::coarse: return "coarse";
    case Resolution::medium: return "medium";
    case Resolution::fine: return "fine";
    }
    return "medium";
}

Segment parse_segment(std::string_view text) {
    const std::string key = lower(text);
    if (key == "l4-5" || key == "l4-l5" || key == "l45") return Segment::L4_L5;
    if (key == "l5-s1" || key == "l5s1") return Segment::L5_S1;
    throw InputError("segment: expected one of L4-5, L5-S1, got '" + std::string(text) + "'");
}

Resolution parse_resolution(std::string_view text) {
    const std::string key = lower(text);
    if (key == "coarse") return Resolution::coarse;
    if (key == "medium") return Resolution::medium;
    if (key == "fine") return Resolution::fine;
    throw InputError("resolution: expected one of coarse, medium, fine, got '" +
                     std::string(text) + "'");
}

DiscParameters preset(Segment segment, Resolution resolution) {
    DiscParameters p;
    // Sources (PHYSICS.md section 2): depth from MRI (33.1 / 31.3 mm) and Visible Human
    // meshes (39 / 34 mm, Remus et al. 2021); width 49 mm (Gruber et al. 2024) and 54 / 56.5
    // mm (Remus 2021); heights from MRI (L4-5 anterior 10.9-18.1, posterior 8.1-10.1 mm);
    // nucleus share and posterior offset from Remus 2021 (49 / 44 %, 1.9 / 0.5 mm).
    // The outline exponent and notch depth are chosen here so that the cross-section areas
    // (1563 / 1586 mm^2) fall inside the ranges of PHYSICS.md (Remus 2021: 1707 / 1585 mm^2).
    if (segment == Segment::L4_L5) {
        p.depth = 35.0;
        p.width = 50.0;
        p.anterior_height = 13.5;
        p.posterior_height = 9.5;
        p.nucleus_share = 0.45;
        p.nucleus_offset_posterior = 2.0;
    } else {
        p.depth = 34.0;
        p.width = 52.0;
        p.anterior_height = 14.5;
        p.posterior_height = 8.5;
        p.nucleus_share = 0.44;
        p.nucleus_offset_posterior = 1.0;
    }
    p.posterior_concavity = 4.0;
    p.outline_exponent = 2.6;
    // Fibre angles to the transverse plane: 31 deg outer to 38 deg inner (Gruber et al.
    // 2024 calibrated set, PHYSICS.md section 3).
    p.fibre_angle_inner = 38.0;
    p.fibre_angle_outer = 31.0;
    switch (resolution) {
    case Resolution::coarse:
        p.circumferential_divisions = 40;
        p.nucleus_radial_divisions = 2;
        p.annulus_rings = 4;
        p.axial_layers = 3;
        break;
    case Resolution::medium:
        p.circumferential_divisions = 40;
        p.nucleus_radial_divisions = 4;
        p.annulus_rings = 6;
        p.axial_layers = 5;
        break;
    case Resolution::fine:
        p.circumferential_divisions = 64;
        p.nucleus_radial_divisions = 6;
        p.annulus_rings = 10;
        p.axial_layers = 8;
        break;
    }
    return p;
}

std::span<const ParameterSpec> disc_parameter_specs() {
    static const auto specs = [] {
        std::array<ParameterSpec, parameter_table.size()> out;
        for (std::size_t i = 0; i < parameter_table.size(); ++i) out[i] = parameter_table[i].spec;
        return out;
    }();
    return specs;
}

void set_parameter(DiscParameters& parameters, std::string_view key, double value) {
    const auto& entry = find_entry(key);
    check_parameter(entry.spec, value);
    if (entry.real) parameters.*entry.real = value;
    else parameters.*entry.count = static_cast<int>(value);
}

double get_parameter(const DiscParameters& parameters, std::string_view key) {
    const auto& entry = find_entry(key);
    return entry.real ? parameters.*entry.real : parameters.*entry.count;
}

void validate(const DiscParameters& parameters) { DiscOutline outline(parameters); }

DiscOutline::DiscOutline(const DiscParameters& parameters) : parameters_(parameters) {
    for (const auto& entry : parameter_table) {
        check_parameter(entry.spec, get_parameter(parameters, entry.spec.name));
    }
    const auto& p = parameters;
    if (p.circumferential_divisions % 4 != 0) {
        throw InputError("circumferential_divisions: expected a multiple of 4 (the nucleus core "
                         "block has four sides), got " +
                         std::to_string(p.circumferential_divisions));
    }
    if (p.posterior_concavity >= p.depth / 3.0) {
        throw InputError("posterior_concavity: expected a value in mm in [0, depth/3) = [0, " +
                         format_number(p.depth / 3.0) + "), got " +
                         format_number(p.posterior_concavity));
    }

    a_ = 0.5 * (p.depth + p.posterior_concavity);
    notch_ = p.posterior_concavity / a_;
    scale_ = std::sqrt(p.nucleus_share);

    // Solve the lateral semi-axis b so that the largest lateral extent equals the width.
    // The extent grows monotonically with b, so bisection is safe.
    auto lateral_extent = [&](double b) {
        auto half_extent = [&](double phi) {
            return superellipse_radius(phi, a_, b, p.outline_exponent) *
                   (1.0 - notch_ * notch_profile(phi)) * std::sin(phi);
        };
        // Sample for the bracket of the maximum, then refine it by golden-section search.
        constexpr int samples = 720;
        int best = 0;
        for (int i = 1; i < samples; ++i) {
            if (half_extent(pi * i / samples) > half_extent(pi * best / samples)) best = i;
        }
        double lo = pi * (best - 1) / samples, hi = pi * (best + 1) / samples;
        for (int i = 0; i < 60; ++i) {
            const double m1 = hi - 0.618034 * (hi - lo), m2 = lo + 0.618034 * (hi - lo);
            if (half_extent(m1) < half_extent(m2)) lo = m1;
            else hi = m2;
        }
        return 2.0 * half_extent(0.5 * (lo + hi));
    };
    double b_lo = 0.25 * p.width, b_hi = 2.0 * p.width;
    for (int i = 0; i < 100; ++i) {
        const double mid = 0.5 * (b_lo + b_hi);
        (lateral_extent(mid) < p.width ? b_lo : b_hi) = mid;
    }
    b_ = 0.5 * (b_lo + b_hi);

    // Area and centroid about the pole by the trapezoidal rule (periodic, smooth integrand).
    double area = 0.0, moment_x = 0.0;
    x_min_ = inf;
    x_max_ = -inf;
    const double dphi = 2.0 * pi / outline_quadrature_points;
    for (int i = 0; i < outline_quadrature_points; ++i) {
        const double phi = i * dphi;
        const double r = radius(phi);
        area += 0.5 * r * r * dphi;
        moment_x += r * r * r / 3.0 * std::cos(phi) * dphi;
        x_min_ = std::min(x_min_, r * std::cos(phi));
        x_max_ = std::max(x_max_, r * std::cos(phi));
    }
    area_ = area;
    const double centroid_x = moment_x / area; // relative to the pole
    pole_ = Eigen::Vector2d(-centroid_x, 0.0);
    x_min_ += pole_.x();
    x_max_ += pole_.x();
    // The nucleus is the outline scaled by s about the disc centroid (the origin), then moved
    // back by the offset: its pole is s * pole shifted by -offset along x.
    nucleus_pole_ = scale_ * pole_ - Eigen::Vector2d(p.nucleus_offset_posterior, 0.0);

    if (min_annulus_thickness() < min_annulus_mm) {
        // Find the offsets that keep the nucleus inside, to say what is allowed.
        auto thickness_at = [&](double offset) {
            DiscParameters probe = p;
            probe.nucleus_offset_posterior = offset;
            DiscOutline copy = *this;
            copy.parameters_ = probe;
            copy.nucleus_pole_ = scale_ * pole_ - Eigen::Vector2d(offset, 0.0);
            return copy.min_annulus_thickness();
        };
        if (thickness_at(0.0) < min_annulus_mm) {
            throw InputError("nucleus_share: " + format_number(p.nucleus_share) +
                             " leaves less than " + format_number(min_annulus_mm) +
                             " mm of annulus on this outline; choose a smaller share");
        }
        auto limit = [&](double direction) {
            double ok = 0.0, bad = direction * p.depth;
            for (int i = 0; i < 60; ++i) {
                const double mid = 0.5 * (ok + bad);
                (thickness_at(mid) >= min_annulus_mm ? ok : bad) = mid;
            }
            return ok;
        };
        char range[96];
        std::snprintf(range, sizeof range, "[%.2f, %.2f]", limit(-1.0), limit(1.0));
        throw InputError("nucleus_offset_posterior: expected a value in mm in " +
                         std::string(range) + " (keeps at least " +
                         format_number(min_annulus_mm) +
                         " mm of annulus around the nucleus on this outline), got " +
                         format_number(p.nucleus_offset_posterior));
    }

    if (p.outer_wall_layer > 0.0) {
        // The grading must fit in half the outermost ring (disc_mesher.cpp), wherever the mesh's
        // rays fall: sampled as densely as min_annulus_thickness.
        thinnest_outer_ring_ = inf;
        for (int i = 0; i < 1440; ++i)
            thinnest_outer_ring_ = std::min(thinnest_outer_ring_, annulus_width(2.0 * pi * i / 1440.0));
        thinnest_outer_ring_ /= p.annulus_rings;
        if (!(p.outer_wall_layer <= 0.5 * thinnest_outer_ring_)) {
            char limit[32];
            std::snprintf(limit, sizeof limit, "%.3g", 0.5 * thinnest_outer_ring_);
            throw InputError("outer_wall_layer: expected a value in mm in [0, " + std::string(limit) +
                             "] (half the outermost annulus ring at its thinnest), got " +
                             format_number(p.outer_wall_layer));
        }
    }
}

double DiscOutline::radius(double phi) const {
    return superellipse_radius(phi, a_, b_, parameters_.outline_exponent) *
           (1.0 - notch_ * notch_profile(phi));
}

Eigen::Vector2d DiscOutline::outer_point(double phi) const {
    return pole_ + radius(phi) * Eigen::Vector2d(std::cos(phi), std::sin(phi));
}

Eigen::Vector2d DiscOutline::nucleus_point(double phi) const {
    return nucleus_pole_ + scale_ * radius(phi) * Eigen::Vector2d(std::cos(phi), std::sin(phi));
}

Eigen::Vector2d DiscOutline::wall_point(double phi) const {
    // Outward normal of the nucleus rim (counter-clockwise curve: tangent turned clockwise).
    constexpr double h = 1e-6;
    const Eigen::Vector2d tangent = nucleus_point(phi + h) - nucleus_point(phi - h);
    const Eigen::Vector2d normal = Eigen::Vector2d(tangent.y(), -tangent.x()).normalized();
    const Eigen::Vector2d start = nucleus_point(phi);
    // Signed distance past the outer rim along the ray from the pole (> 0 outside).
    auto outside = [&](double t) {
        const Eigen::Vector2d q = start + t * normal - pole_;
        return q.norm() - radius(std::atan2(q.y(), q.x()));
    };
    // March to the first crossing, then bisect: the first crossing is the wall in front of
    // this point even where the line could leave and re-enter a concave outline.
    const double step = 0.02 * parameters_.depth / 35.0;
    double inside_t = 0.0, outside_t = step;
    while (outside(outside_t) <= 0.0) {
        inside_t = outside_t;
        outside_t += step;
    }
    for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (inside_t + outside_t);
        (outside(mid) <= 0.0 ? inside_t : outside_t) = mid;
    }
    const Eigen::Vector2d q = start + outside_t * normal - pole_;
    return pole_ + radius(std::atan2(q.y(), q.x())) * q.normalized();
}

Eigen::Vector2d DiscOutline::annulus_point(double phi, double t) const {
    return (1.0 - t) * nucleus_point(phi) + t * wall_point(phi);
}

double DiscOutline::annulus_width(double phi) const {
    return (wall_point(phi) - nucleus_point(phi)).norm();
}

Eigen::Vector2d DiscOutline::nucleus_map(const Eigen::Vector2d& reference) const {
    const double rho = reference.norm();
    if (rho == 0.0) return nucleus_pole_;
    // The posterior notch fades in towards the rim (weight rho^2), so the core block stays
    // convex instead of carrying the notch to the centre of the nucleus.
    const double phi = std::atan2(reference.y(), reference.x());
    const double r = superellipse_radius(phi, a_, b_, parameters_.outline_exponent) *
                     (1.0 - notch_ * notch_profile(phi) * rho * rho);
    return nucleus_pole_ + scale_ * r * reference;
}

double DiscOutline::height(double x) const {
    const double t = (x - x_min_) / (x_max_ - x_min_);
    return parameters_.posterior_height + t * (parameters_.anterior_height -
                                               parameters_.posterior_height);
}

double DiscOutline::min_annulus_thickness() const {
    // For each nucleus rim point, how far inside the outer rim it lies along the ray from the
    // pole (negative = outside).
    double thinnest = inf;
    for (int i = 0; i < 1440; ++i) {
        const Eigen::Vector2d q = nucleus_point(2.0 * pi * i / 1440.0) - pole_;
        const double psi = std::atan2(q.y(), q.x());
        thinnest = std::min(thinnest, radius(psi) - q.norm());
    }
    return thinnest;
}

} // namespace discsim::mesh
