// The analytic disc outline against closed forms, the presets against PHYSICS.md section 2,
// and the bad-input rules.
#include "core/error.hpp"
#include "mesh/disc_geometry.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using namespace discsim;
using namespace discsim::mesh;
using Catch::Matchers::Contains;

namespace {
constexpr double pi = std::numbers::pi;

// Largest lateral extent and anteroposterior extent of the outline, by dense sampling.
struct Extent {
    double lateral = 0, x_min = 1e9, x_max = -1e9, midline_depth = 0;
};
Extent sample_extent(const DiscOutline& outline) {
    Extent e;
    double y_max = -1e9, y_min = 1e9;
    for (int i = 0; i < 200000; ++i) {
        const auto p = outline.outer_point(2 * pi * i / 200000.0);
        y_max = std::max(y_max, p.y());
        y_min = std::min(y_min, p.y());
        e.x_min = std::min(e.x_min, p.x());
        e.x_max = std::max(e.x_max, p.x());
    }
    e.lateral = y_max - y_min;
    e.midline_depth = outline.outer_point(0).x() - outline.outer_point(pi).x();
    return e;
}
// Area and first moments of a closed curve by the shoelace formula on n chords; independent of
// the class's own quadrature.
struct Moments {
    double area = 0, x = 0, y = 0; ///< area and centroid
};
template <class Curve>
Moments shoelace(const Curve& point, int n = 100000) {
    double area = 0, moment_x = 0, moment_y = 0;
    for (int i = 0; i < n; ++i) {
        const auto p0 = point(2 * pi * i / n);
        const auto p1 = point(2 * pi * (i + 1) / n);
        const double cross = p0.x() * p1.y() - p1.x() * p0.y();
        area += cross / 2;
        moment_x += (p0.x() + p1.x()) * cross / 6;
        moment_y += (p0.y() + p1.y()) * cross / 6;
    }
    return {area, moment_x / area, moment_y / area};
}
} // namespace

TEST_CASE("an elliptic outline has the ellipse's area, centroid and wedge volume",
          "[verification]") {
    // Exponent 2 and no concavity make the outline an ellipse with semi-axes D/2 and W/2:
    // A = pi D W / 4; its centroid is its centre, so the heights at the rims are at x = -D/2
    // and +D/2 and V = A (h_a + h_p) / 2.
    DiscParameters p = preset(Segment::L4_L5);
    p.outline_exponent = 2.0;
    p.posterior_concavity = 0.0;
    const DiscOutline outline(p);
    const double area = pi * p.depth * p.width / 4.0;
    CHECK(outline.area() == Approx(area).epsilon(1e-9));
    CHECK(outline.x_min() == Approx(-p.depth / 2).epsilon(1e-6));
    CHECK(outline.x_max() == Approx(p.depth / 2).epsilon(1e-6));
    CHECK(outline.volume() ==
          Approx(area * (p.anterior_height + p.posterior_height) / 2).epsilon(1e-6));
    CHECK(outline.nucleus_area() == Approx(p.nucleus_share * area).epsilon(1e-12));
    // The outer point on the lateral axis of the ellipse.
    CHECK(outline.outer_point(pi / 2).y() == Approx(p.width / 2).epsilon(1e-6));
}

TEST_CASE("a superellipse outline has the closed-form superellipse area", "[verification]") {
    // A = 4 a b Gamma(1 + 1/n)^2 / Gamma(1 + 2/n) for |x/a|^n + |y/b|^n = 1.
    DiscParameters p = preset(Segment::L5_S1);
    p.posterior_concavity = 0.0;
    for (double n : {2.0, 2.6, 4.0}) {
        p.outline_exponent = n;
        const DiscOutline outline(p);
        const double a = p.depth / 2, b = p.width / 2;
        const double area = 4 * a * b * std::pow(std::tgamma(1 + 1 / n), 2) / std::tgamma(1 + 2 / n);
        CHECK(outline.area() == Approx(area).epsilon(1e-9));
    }
}

TEST_CASE("the kidney outline honours depth, width, concavity and centroid", "[unit]") {
    for (Segment segment : {Segment::L4_L5, Segment::L5_S1}) {
        const DiscParameters p = preset(segment);
        const DiscOutline outline(p);
        const Extent e = sample_extent(outline);
        CHECK(e.midline_depth == Approx(p.depth).epsilon(1e-9));
        CHECK(e.lateral == Approx(p.width).epsilon(1e-4));
        // The posterior midline sits the concavity depth in front of the most posterior
        // point of the convex superellipse it was carved from (a = (D + c) / 2).
        const double notch = outline.outer_point(pi).x() - (outline.outer_point(0).x() -
                                                            (p.depth + p.posterior_concavity));
        CHECK(notch == Approx(p.posterior_concavity).epsilon(1e-9));
        // Posterior concavity: the midline is in front of the posterolateral lobes.
        CHECK(outline.outer_point(pi).x() > e.x_min + 0.5);
        // Centroid at the origin: the first moment of area vanishes.
        const Moments m = shoelace([&](double phi) { return outline.outer_point(phi); });
        CHECK(m.area == Approx(outline.area()).epsilon(1e-6));
        CHECK(std::abs(m.x) < 1e-6);
        // Wedge: heights at the rims.
        CHECK(outline.height(e.x_min) == Approx(p.posterior_height).epsilon(1e-6));
        CHECK(outline.height(e.x_max) == Approx(p.anterior_height).epsilon(1e-6));
    }
}

TEST_CASE("the presets match the anatomy table of PHYSICS.md", "[unit]") {
    // Axial cross-section areas: L4-5 about 1500-1750 mm^2, L5-S1 about 1450-1650 mm^2
    // (Remus et al. 2021 projected areas 1707 / 1585 mm^2).
    const DiscOutline l45(preset(Segment::L4_L5));
    CHECK(l45.area() > 1500.0);
    CHECK(l45.area() < 1750.0);
    const DiscOutline l5s1(preset(Segment::L5_S1));
    CHECK(l5s1.area() > 1450.0);
    CHECK(l5s1.area() < 1650.0);
    const auto p = preset(Segment::L4_L5);
    CHECK(p.depth == 35.0);
    CHECK(p.width == 50.0);
    CHECK(p.anterior_height == 13.5);
    CHECK(p.posterior_height == 9.5);
    CHECK(p.nucleus_share == 0.45);
    CHECK(p.nucleus_offset_posterior == 2.0);
    CHECK(preset(Segment::L4_L5, Resolution::medium).annulus_rings == 6);
    const auto q = preset(Segment::L5_S1);
    CHECK(q.depth == 34.0);
    CHECK(q.width == 52.0);
    CHECK(q.anterior_height == 14.5);
    CHECK(q.posterior_height == 8.5);
    CHECK(q.nucleus_share == 0.44);
    CHECK(q.nucleus_offset_posterior == 1.0);
}

TEST_CASE("the nucleus is the scaled outline moved posteriorly by the offset", "[unit]") {
    const DiscParameters p = preset(Segment::L4_L5);
    const DiscOutline outline(p);
    const Moments m = shoelace([&](double phi) { return outline.nucleus_point(phi); });
    CHECK(m.area / outline.area() == Approx(p.nucleus_share).epsilon(1e-6));
    CHECK(m.x == Approx(-p.nucleus_offset_posterior).epsilon(1e-6));
    CHECK(std::abs(m.y) < 1e-9);
    CHECK(outline.min_annulus_thickness() > 1.0);
}

TEST_CASE("bad disc parameters are rejected naming the parameter, range and value", "[unit]") {
    DiscParameters p = preset(Segment::L4_L5);
    CHECK_THROWS_WITH(set_parameter(p, "nucleus_share", 1.2),
                      Contains("nucleus_share") && Contains("(0, 1)") && Contains("1.2"));
    CHECK_THROWS_WITH(set_parameter(p, "nucleus_share", 0.0), Contains("nucleus_share"));
    CHECK_THROWS_WITH(set_parameter(p, "depth", -3), Contains("depth") && Contains("-3"));
    CHECK_THROWS_WITH(set_parameter(p, "width", 0), Contains("width"));
    CHECK_THROWS_WITH(set_parameter(p, "annulus_rings", 0), Contains("annulus_rings"));
    CHECK_THROWS_WITH(set_parameter(p, "axial_layers", 0), Contains("axial_layers"));
    CHECK_THROWS_WITH(set_parameter(p, "nucleus_radial_divisions", 0),
                      Contains("nucleus_radial_divisions"));
    CHECK_THROWS_WITH(set_parameter(p, "anterior_height", 0), Contains("anterior_height"));
    CHECK_THROWS_WITH(set_parameter(p, "nucleus_shar", 0.4),
                      Contains("unknown") && Contains("did you mean 'nucleus_share'"));
    CHECK(p.nucleus_share == 0.45); // a rejected value leaves the parameters untouched

    DiscParameters divisions = preset(Segment::L4_L5);
    set_parameter(divisions, "circumferential_divisions", 30);
    CHECK_THROWS_WITH(validate(divisions),
                      Contains("circumferential_divisions") && Contains("multiple of 4"));

    DiscParameters offset = preset(Segment::L4_L5);
    set_parameter(offset, "nucleus_offset_posterior", 15);
    CHECK_THROWS_WITH(validate(offset),
                      Contains("nucleus_offset_posterior") && Contains("15") && Contains("["));
    set_parameter(offset, "nucleus_offset_posterior", -15);
    CHECK_THROWS_AS(validate(offset), InputError);

    DiscParameters crowded = preset(Segment::L4_L5);
    set_parameter(crowded, "nucleus_share", 0.95);
    CHECK_THROWS_WITH(validate(crowded), Contains("nucleus_share"));

    DiscParameters notch = preset(Segment::L4_L5);
    set_parameter(notch, "posterior_concavity", 15);
    CHECK_THROWS_WITH(validate(notch), Contains("posterior_concavity"));

    CHECK_THROWS_WITH(parse_segment("L3-4"), Contains("L4-5") && Contains("L5-S1"));
    CHECK(parse_segment("l5-s1") == Segment::L5_S1);
    CHECK_THROWS_WITH(parse_resolution("ultra"), Contains("coarse"));
}

TEST_CASE("the error message's offset range is where the nucleus just fits", "[unit]") {
    // The message names the allowed offsets; the limits themselves must be accepted and a
    // value slightly beyond them rejected.
    DiscParameters p = preset(Segment::L4_L5);
    p.nucleus_offset_posterior = 15;
    std::string message;
    try {
        validate(p);
    } catch (const InputError& e) {
        message = e.what();
    }
    double lo = 0, hi = 0;
    REQUIRE(std::sscanf(message.c_str() + message.find('['), "[%lf, %lf]", &lo, &hi) == 2);
    CHECK(lo < 0.0);
    CHECK(hi > preset(Segment::L4_L5).nucleus_offset_posterior);
    p.nucleus_offset_posterior = hi - 0.01;
    CHECK_NOTHROW(validate(p));
    p.nucleus_offset_posterior = hi + 0.05;
    CHECK_THROWS_AS(validate(p), InputError);
    p.nucleus_offset_posterior = lo + 0.01;
    CHECK_NOTHROW(validate(p));
}
