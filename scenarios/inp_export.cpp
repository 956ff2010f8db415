#include "scenarios/inp_export.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "scenarios/run.hpp"
#include "scenarios/step_plan.hpp"
#include "solver/disc_model.hpp"

#include <array>
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

// The hyperelastic constants of one material as Abaqus writes them: C10, C01, D1; with HGO
// fibres (k1 > 0), their k1 and k2 (CalculiX's ELASTIC_FIBER user material, below).
struct InpMaterial {
    double c10 = 0.0;
    double c01 = 0.0;
    double d1 = 0.0;
    double k1 = 0.0;
    double k2 = 0.0;
    bool operator<(const InpMaterial& o) const {
        return std::tie(c10, c01, d1, k1, k2) < std::tie(o.c10, o.c01, o.d1, o.k1, o.k2);
    }
};

InpMaterial inp_material(const materials::Material& m, const std::string& region) {
    const std::string at = "discsim export: materials." + region;
    InpMaterial out;
    if (m.fibres && m.fibres->k1 > 0.0) {
        // CalculiX 2.20's ELASTIC_FIBER (umat_elastic_fiber.f): psi = C10 (I1b - 3) +
        // (J - 1)^2 / D1 + sum k1 / (2 k2) (exp(k2 (I4b - 1)^2) - 1) over the families with
        // I4b >= 1. That is discsim's hgo model with kappa = 0 (the Macaulay bracket of the
        // fibre strain is then the switch on I4b >= 1) on the isochoric invariants.
        if (m.fibres->kappa != 0.0)
            throw InputError(at + ".kappa: expected 0 for the deck (CalculiX's ELASTIC_FIBER "
                                  "material has no fibre dispersion), got " +
                             number(m.fibres->kappa));
        if (m.fibres->invariant != materials::FibreInvariant::isochoric)
            throw InputError(at + ".fibre_invariant: expected isochoric for the deck (CalculiX's "
                                  "ELASTIC_FIBER material uses I4 of the isochoric C), got full");
        if (!std::holds_alternative<materials::NeoHookean>(m.ground))
            throw InputError(at + ".model: expected hgo (a neo-Hookean ground substance) for the "
                                  "deck: CalculiX's ELASTIC_FIBER material has C10 only, got a "
                                  "Mooney-Rivlin or coupled ground substance with the fibres");
        out.k1 = m.fibres->k1;
        out.k2 = m.fibres->k2;
    }
    if (m.volumetric.form != materials::VolumetricForm::quadratic) {
        throw InputError(at + ".volumetric: expected quadratic (Abaqus' and CalculiX's "
                              "(J - 1)^2 / D1), got another form; set volumetric: quadratic so "
                              "both codes solve the same problem");
    }
    out.d1 = 2.0 / m.volumetric.bulk_modulus;
    if (const auto* nh = std::get_if<materials::NeoHookean>(&m.ground)) {
        out.c10 = nh->c10;
    } else if (const auto* mr = std::get_if<materials::MooneyRivlin>(&m.ground)) {
        out.c10 = mr->c10;
        out.c01 = mr->c01;
    } else {
        throw InputError(at + ": the deck holds neo-Hookean and Mooney-Rivlin solids only, got a "
                              "coupled (Holmes-Mow) solid");
    }
    return out;
}

// A fibre direction as ELASTIC_FIBER's two constants: its x and y components, the material
// taking z = +sqrt(1 - x^2 - y^2). The family's energy depends on a (x) a only, so the direction
// is turned to z >= 0 first. As written (10 digits), x^2 + y^2 may exceed 1 by round-off when the
// fibre is nearly horizontal; CalculiX stops on that, so the pair is then shrunk by 1e-9.
std::array<std::string, 2> fibre_constants(solver::Vec3 a) {
    a.normalize();
    if (a.z() < 0.0) a = -a;
    std::array<std::string, 2> xy = {number(a.x()), number(a.y())};
    const double x = std::stod(xy[0]), y = std::stod(xy[1]);
    if (x * x + y * y > 1.0) xy = {number(a.x() * (1.0 - 1e-9)), number(a.y() * (1.0 - 1e-9))};
    return xy;
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
        if (m.k1 > 0.0) continue; // a material per cell, below
        out << "*MATERIAL, NAME=" << name << "\n";
        if (m.c01 == 0.0)
            out << "*HYPERELASTIC, NEO HOOKE\n" << number(m.c10) << ", " << number(m.d1) << "\n";
        else
            out << "*HYPERELASTIC, MOONEY-RIVLIN\n"
                << number(m.c10) << ", " << number(m.c01) << ", " << number(m.d1) << "\n";
    }
    for (const auto& set : sets)
        if (set.second.k1 == 0.0)
            out << "*SOLID SECTION, ELSET=" << set.first << ", MATERIAL=" << set.first << "\n";
    // HGO cells: CalculiX's ELASTIC_FIBER user material (a name that starts so selects it), one
    // per cell because the fibre directions are the cell's own. Its constants: C10, D1, then per
    // family the direction's x and y (fibre_constants), k1 and k2; eight to a data line.
    const auto& fibre_1 = model.fibres_1();
    const auto& fibre_2 = model.fibres_2();
    for (int c = 0; c < disc.cell_count(); ++c) {
        const InpMaterial& m = sets[set_of[c]].second;
        if (m.k1 == 0.0) continue;
        std::vector<std::string> constants = {number(m.c10), number(m.d1)};
        for (const auto* family : {&fibre_1, &fibre_2}) {
            if (c >= static_cast<int>(family->size()) || !((*family)[c].squaredNorm() > 0.0))
                continue; // no family here, as in discsim's element
            for (const std::string& x : fibre_constants((*family)[c]))
                constants.push_back(x);
            constants.push_back(number(m.k1));
            constants.push_back(number(m.k2));
        }
        const std::string id = std::to_string(c + 1);
        out << "*ELSET, ELSET=FIBRE" << id << "\n" << id << "\n";
        out << "*MATERIAL, NAME=ELASTIC_FIBER" << id << "\n*USER MATERIAL, CONSTANTS="
            << constants.size() << "\n";
        for (std::size_t k = 0; k < constants.size(); ++k)
            out << constants[k] << (k % 8 == 7 || k + 1 == constants.size() ? "\n" : ", ");
        out << "*SOLID SECTION, ELSET=FIBRE" << id << ", MATERIAL=ELASTIC_FIBER" << id << "\n";
    }
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
