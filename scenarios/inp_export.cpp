#include "scenarios/inp_export.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "scenarios/run.hpp"
#include "scenarios/step_plan.hpp"
#include "solver/disc_model.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>
#include <variant>

namespace discsim::scenarios {

namespace {

std::string number(double value) {
    char text[40];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

std::string element_name(InpElement e) {
    switch (e) {
    case InpElement::c3d8r: return "C3D8R";
    case InpElement::c3d8: return "C3D8";
    case InpElement::c3d8i: return "C3D8I";
    }
    return "C3D8R";
}

// The hyperelastic constants of one material as Abaqus writes them: C10, C01, D1.
struct InpMaterial {
    double c10 = 0.0;
    double c01 = 0.0;
    double d1 = 0.0;
    bool operator<(const InpMaterial& o) const {
        return std::tie(c10, c01, d1) < std::tie(o.c10, o.c01, o.d1);
    }
};

InpMaterial inp_material(const materials::Material& m, const std::string& region) {
    if (m.fibres && m.fibres->k1 > 0.0) {
        throw InputError("discsim export: materials." + region +
                         ": the deck cannot hold HGO fibres (CalculiX has no built-in Holzapfel "
                         "model); choose model mooney_rivlin or neo_hookean for the comparison");
    }
    if (m.volumetric.form != materials::VolumetricForm::quadratic) {
        throw InputError("discsim export: materials." + region +
                         ".volumetric: expected quadratic (Abaqus' and CalculiX's (J - 1)^2 / D1), "
                         "got another form; set volumetric: quadratic so both codes solve the same "
                         "problem");
    }
    InpMaterial out;
    out.d1 = 2.0 / m.volumetric.bulk_modulus;
    if (const auto* nh = std::get_if<materials::NeoHookean>(&m.ground)) {
        out.c10 = nh->c10;
    } else if (const auto* mr = std::get_if<materials::MooneyRivlin>(&m.ground)) {
        out.c10 = mr->c10;
        out.c01 = mr->c01;
    } else {
        throw InputError("discsim export: materials." + region +
                         ": the deck holds neo-Hookean and Mooney-Rivlin solids only, got a "
                         "coupled (Holmes-Mow) solid");
    }
    return out;
}

// Sixteen ids a line, as CalculiX's own decks and Abaqus' limit of 16 entries per data line.
void write_ids(std::ostringstream& out, const std::vector<int>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out << ids[i] + 1 << ((i % 16 == 15 || i + 1 == ids.size()) ? "\n" : ", ");
    }
}

void refuse_step_load(const solver::LoadState& load, const std::string& step) {
    const std::string at = "discsim export: step '" + step + "': ";
    if (load.follower_force.norm() > 0.0)
        throw InputError(at + "a follower compression turns with the vertebra; the deck's *CLOAD "
                              "is fixed in direction (use force: {z: ...} for the comparison)");
    if (load.pressure != 0.0)
        throw InputError(at + "a surface pressure is not written to the deck yet");
    for (int i = 0; i < 3; ++i) {
        if (load.rp_displacement[i] || load.rp_rotation[i])
            throw InputError(at + "prescribed motions of the vertebra are not written to the deck "
                                  "yet; load it by force and moment");
    }
}

} // namespace

std::string inp_deck(const Scenario& scenario, const InpOptions& options) {
    if (scenario.biphasic()) {
        throw InputError("discsim export: the deck is a static solve of the dry solid; the "
                         "scenario is biphasic (set materials.formulation: elastic, or pass "
                         "--formulation elastic)");
    }
    const mesh::HexMesh disc = build_mesh(scenario);
    const solver::Model model = solver::disc_model(disc, resolve_materials(scenario.materials));
    const std::vector<PlannedStep> plan = plan_steps(scenario);
    if (plan.empty()) throw InputError("scenario '" + scenario.name + "' has no steps");

    // One material per distinct set of constants: the nucleus first, then the annulus sets in
    // order of their first cell.
    std::vector<std::pair<std::string, InpMaterial>> sets;
    std::map<InpMaterial, int> annulus_index;
    std::vector<int> set_of(disc.cell_count());
    sets.push_back({"NUCLEUS", inp_material(model.materials[0], "nucleus")});
    for (int c = 0; c < disc.cell_count(); ++c) {
        if (disc.region[c] == 0) {
            set_of[c] = 0;
            continue;
        }
        const InpMaterial m = inp_material(model.materials[model.cell_material[c]], "annulus");
        auto [it, added] = annulus_index.try_emplace(m, static_cast<int>(sets.size()));
        if (added) {
            const int k = static_cast<int>(annulus_index.size());
            sets.push_back({k == 1 ? std::string("ANNULUS") : "ANNULUS_" + std::to_string(k), m});
        }
        set_of[c] = it->second;
    }
    for (const auto& planned : plan)
        refuse_step_load(planned.step.target, planned.step.name);
    for (const auto& p : model.prescribed) {
        if (p.value != 0.0)
            throw InputError("discsim export: a prescribed nodal displacement other than zero is "
                             "not written to the deck yet");
    }

    std::ostringstream out;
    out << "*HEADING\n"
        << (options.heading.empty() ? scenario.name : options.heading) << "\n";
    out << "** Written by discsim export --format inp: the elastic disc of the scenario, for a\n"
           "** peer solver (CalculiX 2.20, Abaqus). Units: mm, N, MPa. Rupture, if the scenario\n"
           "** enables it, is discsim's and is not in the deck.\n";
    out << "*NODE, NSET=NALL\n";
    for (int n = 0; n < disc.node_count(); ++n) {
        const auto& x = disc.nodes[n];
        out << n + 1 << ", " << number(x.x()) << ", " << number(x.y()) << ", " << number(x.z())
            << "\n";
    }
    const solver::Vec3 rp = model.rigid_body->reference_point;
    const int ref_node = disc.node_count() + 1;
    const int rot_node = disc.node_count() + 2;
    const std::string rp_text = number(rp.x()) + ", " + number(rp.y()) + ", " + number(rp.z());
    out << "*NODE, NSET=REFN\n" << ref_node << ", " << rp_text << "\n";
    out << "*NODE, NSET=ROTN\n" << rot_node << ", " << rp_text << "\n";
    const std::string type = element_name(options.element);
    for (std::size_t s = 0; s < sets.size(); ++s) {
        out << "*ELEMENT, TYPE=" << type << ", ELSET=" << sets[s].first << "\n";
        for (int c = 0; c < disc.cell_count(); ++c) {
            if (set_of[c] != static_cast<int>(s)) continue;
            out << c + 1;
            for (int node : disc.cells[c])
                out << ", " << node + 1;
            out << "\n";
        }
    }
    out << "*NSET, NSET=INFERIOR\n";
    write_ids(out, disc.node_set(mesh::Surface::inferior_endplate));
    out << "*NSET, NSET=SUPERIOR\n";
    write_ids(out, disc.node_set(mesh::Surface::superior_endplate));
    for (const auto& [name, m] : sets) {
        out << "*MATERIAL, NAME=" << name << "\n";
        if (m.c01 == 0.0)
            out << "*HYPERELASTIC, NEO HOOKE\n" << number(m.c10) << ", " << number(m.d1) << "\n";
        else
            out << "*HYPERELASTIC, MOONEY-RIVLIN\n"
                << number(m.c10) << ", " << number(m.c01) << ", " << number(m.d1) << "\n";
    }
    for (const auto& set : sets)
        out << "*SOLID SECTION, ELSET=" << set.first << ", MATERIAL=" << set.first << "\n";
    out << "*RIGID BODY, NSET=SUPERIOR, REF NODE=" << ref_node << ", ROT NODE=" << rot_node << "\n";
    out << "*BOUNDARY\nINFERIOR, 1, 3\n";
    for (const auto& planned : plan) {
        const solver::Step& step = planned.step;
        out << "** step '" << step.name << "'\n";
        out << "*STEP, NLGEOM, INC=1000\n*STATIC\n"
            << number(step.initial_increment) << ", 1.0, " << number(step.min_increment) << ", "
            << number(step.max_increment) << "\n";
        // Every component every step (OP=MOD, the default): the total at the end of the step,
        // ramped from the end of the step before.
        out << "*CLOAD\n";
        for (int i = 0; i < 3; ++i)
            out << ref_node << ", " << i + 1 << ", " << number(step.target.force[i]) << "\n";
        for (int i = 0; i < 3; ++i)
            out << rot_node << ", " << i + 1 << ", " << number(step.target.moment[i]) << "\n";
        out << "*NODE PRINT, NSET=REFN\nU\n*NODE PRINT, NSET=ROTN\nU\n";
        out << "*EL PRINT, ELSET=NUCLEUS\nS, EVOL\n";
        out << "*END STEP\n";
    }
    return out.str();
}

void write_inp(const Scenario& scenario, const std::filesystem::path& path,
               const InpOptions& options) {
    write_text_atomically(path, inp_deck(scenario, options));
}

} // namespace discsim::scenarios
