// The YAML reader (scenarios/yaml_tree.hpp): libyaml events into a small tree, with marks,
// plainness and nulls as the readers need them, bounded against hostile input, and an emitter
// whose output reads back to the same tree.
#include "scenarios/yaml_tree.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace discsim::scenarios;
using Catch::Matchers::Contains;

namespace {

yaml::Node root_of(const std::string& text) {
    const auto documents = yaml::load_all(text);
    REQUIRE(documents.size() == 1);
    return documents.front().root;
}

std::string syntax_error(const std::string& text) {
    try {
        yaml::load_all(text);
    } catch (const yaml::SyntaxError& e) {
        return e.message + " @" + std::to_string(e.mark.line) + ":" + std::to_string(e.mark.column);
    }
    return "";
}

} // namespace

TEST_CASE("the YAML tree keeps kinds, texts, plainness and 0-based marks", "[unit]") {
    const yaml::Node root = root_of("name: flexion\nsteps:\n  - name: \"7.5\"\n    load: 7.5\n"
                                    "empty:\ntilde: ~\nflow: {a: 1, b: [x, 'y']}\n");
    REQUIRE(root.is_map());
    CHECK(root.size() == 5);
    CHECK(root.find("name").scalar() == "flexion");
    CHECK(root.find("name").is_plain());
    CHECK(root.find("name").mark().line == 0);
    CHECK(root.find("name").mark().column == 6);
    const yaml::Node step = root.find("steps")[0];
    REQUIRE(step.is_map());
    CHECK(step.mark().line == 2);
    CHECK(step.mark().column == 4);
    // A quoted scalar is a string, never a number.
    CHECK_FALSE(step.find("name").is_plain());
    CHECK(step.find("load").is_plain());
    CHECK(root.find("empty").is_null());
    CHECK(root.find("tilde").is_null());
    CHECK_FALSE(root.find("empty").is_scalar());
    CHECK(root.find("flow").find("b")[1].scalar() == "y");
    CHECK_FALSE(root.find("flow").find("b")[1].is_plain());
    CHECK_FALSE(root.find("missing"));
    CHECK_FALSE(root.find("steps")[5]);
    // Keys stay in file order.
    CHECK(root.pairs()[1].first.scalar() == "steps");
}

TEST_CASE("the YAML tree counts documents and where the second one starts", "[unit]") {
    CHECK(yaml::load_all("").empty());
    CHECK(yaml::load_all("# only a comment\n\n").empty());
    const auto two = yaml::load_all("a: 1\n---\nb: 2\n");
    REQUIRE(two.size() == 2);
    CHECK(two[1].start.line == 1);
    CHECK(two[1].start.column == 0);
}

TEST_CASE("inputs that hang or exhaust other YAML parsers are syntax errors at once", "[unit]") {
    // yaml-cpp 0.7 loops for ever on these (its issues 1040, 499, 793, 899).
    for (const char* text : {",", "[:", "{:", "[[:", "{:]", "[:]", "- !+(.,.)"}) {
        INFO(text);
        CHECK_FALSE(syntax_error(text).empty());
    }
    CHECK_THAT(syntax_error(","), Contains("@0:0"));
    // Bounded nesting, whatever the text's size.
    CHECK_THAT(syntax_error(std::string(100000, '[') + std::string(100000, ']')),
               Contains("levels of nesting"));
    CHECK(
        syntax_error(std::string(yaml::max_depth - 1, '[') + std::string(yaml::max_depth - 1, ']'))
            .empty());
    // An alias is the anchored node, shared; an unknown one is an error at its place.
    const yaml::Node shared = root_of("a: &x [1, 2]\nb: *x\n");
    CHECK(shared.find("b").size() == 2);
    CHECK(shared.find("b")[1].scalar() == "2");
    CHECK_THAT(syntax_error("a: *y\n"), Contains("no such anchor"));
    CHECK_THAT(syntax_error("a: *y\n"), Contains("@0:3"));
    CHECK_THAT(syntax_error("a: &x [*x]\n"), Contains("no such anchor"));
    // Nested aliases ("billion laughs") read in no time; writing them out is bounded.
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'k'; ++c)
        bomb += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" +
                char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) +
                ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" +
                char(c - 1) + "]\n";
    const yaml::Node laughs = root_of(bomb);
    CHECK(laughs.find("k").size() == 10);
    CHECK_THROWS_AS(yaml::emit(laughs), yaml::SyntaxError);
    // A bad byte is an error with its place, not a crash.
    CHECK_THAT(syntax_error("a: \xff\n"), Contains("@0:3"));
    CHECK_THAT(syntax_error(std::string(yaml::max_text_bytes + 1, '#')), Contains("MiB"));
}

TEST_CASE("emitted YAML reads back to the same tree for every shipped file", "[unit]") {
    int files = 0;
    for (const char* folder : {"library", "sweeps"}) {
        for (const auto& entry : std::filesystem::directory_iterator(
                 std::string(DISCSIM_SOURCE_DIR) + "/scenarios/" + folder)) {
            if (entry.path().extension() != ".yaml") continue;
            INFO(entry.path().string());
            const yaml::Node original = root_of(discsim::test::file_bytes(entry.path()));
            const std::string text = yaml::emit(original);
            INFO(text);
            CHECK(yaml::same_tree(root_of(text), original));
            ++files;
        }
    }
    CHECK(files >= 20);
}

TEST_CASE("the emitter quotes only what would not read back as the same plain scalar", "[unit]") {
    yaml::Node root = yaml::Node::map_node();
    root.set("number", "0.5");
    root.set("negative", "-3");
    root.set("words", "a, b [c]");
    root.set("colon", "a: b");
    root.set("hash", "a #b");
    root.set("dash", "- x");
    root.set("empty", "");
    root.child_map("nested").set("k", "v");
    const std::string text = yaml::emit(root);
    CHECK_THAT(text, Contains("number: 0.5\n"));
    CHECK_THAT(text, Contains("negative: -3\n"));
    CHECK_THAT(text, Contains("words: a, b [c]\n"));
    CHECK_THAT(text, Contains("colon: \"a: b\"\n"));
    CHECK_THAT(text, Contains("hash: \"a #b\"\n"));
    CHECK_THAT(text, Contains("dash: \"- x\"\n"));
    CHECK_THAT(text, Contains("nested:\n  k: v\n"));
    const yaml::Node back = root_of(text);
    CHECK(back.find("number").is_plain());
    CHECK(back.find("colon").scalar() == "a: b");
    CHECK(back.find("empty").is_null());
    // Editing through a copy changes the shared tree.
    yaml::Node copy = root;
    copy.find("number").set_scalar("0.75");
    CHECK(root.find("number").scalar() == "0.75");
}
