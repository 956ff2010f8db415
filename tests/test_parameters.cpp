// Declared parameters: range checks and the messages a user sees.
#include "core/error.hpp"
#include "core/parameter.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <limits>

using namespace discsim;

TEST_CASE("ranges are described in interval notation", "[unit]") {
    CHECK(describe_range({.name = "x", .unit = "1", .min = 0, .max = 1, .min_inclusive = false, .max_inclusive = false}) == "(0, 1)");
    CHECK(describe_range({.name = "x", .unit = "1", .min = 1, .max = 64, .integer = true}) == "[1, 64]");
    CHECK(describe_range({.name = "x", .unit = "mm", .min = 0, .min_inclusive = false}) ==
          "> 0");
}

TEST_CASE("check_parameter accepts the range and rejects the rest with name, range and value",
          "[unit]") {
    const ParameterSpec share{.name = "nucleus_share", .unit = "1", .min = 0, .max = 1, .min_inclusive = false, .max_inclusive = false};
    CHECK_NOTHROW(check_parameter(share, 0.45));
    CHECK_THROWS_AS(check_parameter(share, 0.0), InputError);
    CHECK_THROWS_AS(check_parameter(share, 1.0), InputError);
    CHECK_THROWS_AS(check_parameter(share, std::numeric_limits<double>::quiet_NaN()), InputError);
    CHECK_THROWS_WITH(check_parameter(share, 1.2),
                      "nucleus_share: expected a value in (0, 1), got 1.2");

    const ParameterSpec rings{.name = "annulus_rings", .unit = "count", .min = 1, .max = 64, .integer = true};
    CHECK_NOTHROW(check_parameter(rings, 6));
    CHECK_THROWS_WITH(check_parameter(rings, 2.5),
                      "annulus_rings: expected a whole number in [1, 64], got 2.5");
    const ParameterSpec depth{.name = "depth", .unit = "mm", .min = 0, .max = 100, .min_inclusive = false};
    CHECK_THROWS_WITH(check_parameter(depth, -3),
                      "depth: expected a value in mm in (0, 100], got -3");
}

TEST_CASE("numbers parse only when the whole text is a number", "[unit]") {
    CHECK(parse_number("k", "35") == 35.0);
    CHECK(parse_number("k", "+3.5e1") == 35.0);
    CHECK(parse_number("k", "-0.25") == -0.25);
    CHECK_THROWS_WITH(parse_number("depth", "abc"), "depth: expected a number, got 'abc'");
    CHECK_THROWS_AS(parse_number("k", "3mm"), InputError);
    CHECK_THROWS_AS(parse_number("k", ""), InputError);
    CHECK_THROWS_AS(parse_number("k", "inf"), InputError);
}

TEST_CASE("the nearest name is suggested only when it is close", "[unit]") {
    const std::array<std::string_view, 3> names{"depth", "width", "nucleus_share"};
    CHECK(nearest_name("dpeth", names) == "depth");
    CHECK(nearest_name("share", names) == "nucleus_share");
    CHECK(nearest_name("zzzzzzzz", names).empty());
}
