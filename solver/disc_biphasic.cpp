#include "solver/disc_biphasic.hpp"

#include "core/error.hpp"
#include "solver/stepping.hpp"
#include "solver/system.hpp"

#include <algorithm>
#include <cmath>

namespace discsim::solver {

namespace {

// The region's laws, checked by their factories; an error names the scenario key.
template <class F> auto checked(const std::string& path, F&& make) {
    try {
        return make();
    } catch (const InputError& e) {
        throw InputError(path + "." + e.what());
    }
}

materials::Permeability permeability_of(const RegionFluid& r, const std::string& path) {
    return checked(path + ".permeability", [&]() -> materials::Permeability {
        const double phi0 = 1.0 - r.fluid_fraction;
        switch (r.law) {
        case PermeabilityLaw::constant:
            return materials::make_constant_permeability(r.k0);
        case PermeabilityLaw::holmes_mow:
            return materials::make_holmes_mow_permeability(r.k0, phi0, r.alpha, r.M);
        case PermeabilityLaw::exponential:
            return materials::make_exponential_permeability(r.k0, phi0, r.M);
        }
        return materials::make_constant_permeability(r.k0);
    });
}

std::optional<materials::DonnanOsmotic> osmotic_of(const RegionFluid& r, const DiscFluid& f,
                                                   const std::string& path) {
    if (!(r.fixed_charge >= 0.0))
        throw InputError(path + ".fixed_charge_density: expected a value in mEq/ml >= 0, got " +
                         std::to_string(r.fixed_charge));
    if (r.fixed_charge == 0.0) return std::nullopt;
    // mEq/ml -> nmol/mm^3 (x 1000); Osm -> nmol/mm^3 (x 1000).
    return checked(path, [&] {
        return materials::make_donnan_osmotic(1000.0 * r.fixed_charge, r.fluid_fraction,
                                              1000.0 * f.bath_osmolarity, f.temperature,
                                              f.osmotic_coefficient);
    });
}

} // namespace

void add_fluid(Model& model, const mesh::HexMesh& mesh, const DiscFluid& fluid) {
    for (const RegionFluid* r : {&fluid.nucleus, &fluid.annulus}) {
        const std::string path = r == &fluid.nucleus ? "materials.nucleus" : "materials.annulus";
        if (!(r->fluid_fraction > 0.0 && r->fluid_fraction < 1.0))
            throw InputError(path + ".fluid_fraction: expected a value in (0, 1), got " +
                             std::to_string(r->fluid_fraction));
    }
    const auto nucleus_k = permeability_of(fluid.nucleus, "materials.nucleus");
    const auto annulus_k = permeability_of(fluid.annulus, "materials.annulus");
    const auto nucleus_pi = osmotic_of(fluid.nucleus, fluid, "materials.nucleus");
    const auto annulus_pi = osmotic_of(fluid.annulus, fluid, "materials.annulus");

    model.layout = DofLayout({Field::displacement, Field::pore_pressure});
    BiphasicModel b;
    b.cells.resize(mesh.cells.size());
    for (int c = 0; c < mesh.cell_count(); ++c) {
        const bool nucleus = mesh.region[c] == 0;
        BiphasicElement& e = b.cells[c];
        e.permeability = nucleus ? nucleus_k : annulus_k;
        e.osmotic = nucleus ? nucleus_pi : annulus_pi;
        // The drained skeleton's aggregate modulus at small strain, H_A = K + 4 mu / 3.
        const materials::Material& m = model.materials[model.cell_material[c]];
        const double H = materials::bulk_modulus(m) + 4.0 * materials::small_strain_shear_modulus(m) / 3.0;
        std::array<Vec3, 8> x;
        for (int k = 0; k < 8; ++k)
            x[k] = mesh.nodes[mesh.cells[c][k]];
        Hex8Geometry geometry;
        if (!hex8_geometry(x, geometry))
            throw InputError("solver: cell " + std::to_string(c) + " is degenerate");
        e.stabilisation = biphasic_stabilisation(x, H);
    }

    if (!(fluid.cartilage_thickness > 0.0))
        throw InputError("boundaries.cartilage.thickness: expected a value in mm > 0, got " +
                         std::to_string(fluid.cartilage_thickness));
    if (!(fluid.cartilage_permeability > 0.0))
        throw InputError("boundaries.cartilage.permeability: expected a value in mm^4/(N s) > 0, got " +
                         std::to_string(fluid.cartilage_permeability));
    const std::pair<mesh::Surface, Drainage> surfaces[] = {
        {mesh::Surface::outer_wall, fluid.outer_wall},
        {mesh::Surface::superior_endplate, fluid.superior_endplate},
        {mesh::Surface::inferior_endplate, fluid.inferior_endplate}};
    std::vector<char> drained(mesh.node_count(), 0);
    for (const auto& [surface, drainage] : surfaces) {
        FluidBoundary boundary;
        boundary.name = std::string(mesh::surface_name(surface));
        switch (drainage) {
        case Drainage::drained:
            boundary.kind = FluidBoundary::Kind::drained;
            boundary.nodes = mesh.node_set(surface);
            for (const int n : boundary.nodes)
                drained[n] = 1;
            break;
        case Drainage::sealed:
            boundary.kind = FluidBoundary::Kind::sealed;
            break;
        case Drainage::cartilage:
            boundary.kind = FluidBoundary::Kind::conductance;
            boundary.faces = mesh.face_set(surface);
            boundary.conductance = fluid.cartilage_permeability / fluid.cartilage_thickness;
            break;
        }
        b.boundaries.push_back(std::move(boundary));
    }
    for (int n = 0; n < mesh.node_count(); ++n)
        if (drained[n]) b.drained_nodes.push_back(n);
    model.biphasic = std::move(b);
}

SwellingReport free_swelling(const Model& model, State& state, const NewtonSettings& settings) {
    SwellingReport report;
    if (!model.biphasic) {
        report.converged = true;
        return report;
    }
    // The drained problem: every pressure held at the bath's, no boundary flux terms.
    Model drained = model;
    drained.biphasic->drained_nodes.resize(model.mesh->node_count());
    for (int n = 0; n < model.mesh->node_count(); ++n)
        drained.biphasic->drained_nodes[n] = n;
    drained.biphasic->boundaries.clear();
    System system(drained);
    // The osmotic pressure ramped from 0 to its full value by the load stepping (cut back on
    // failure, grown by 1.5 after at most 5 iterations). The time step plays no part: with
    // p = 0 everywhere no term depends on it.
    LoadState start;
    start.osmotic_scale = 0.0;
    Step ramp;
    ramp.name = "free swelling";
    ramp.target.osmotic_scale = 1.0;
    ramp.initial_increment = 0.25;
    ramp.min_increment = 1e-4;
    ramp.max_increment = 1.0;
    ramp.duration = 1.0;
    SteppingSettings stepping;
    stepping.newton = settings;
    stepping.easy_iterations = 5;
    const PathResult path = solve_steps(system, state, {ramp}, stepping, IncrementHooks{}, start);
    report.increments = path.increments;
    report.iterations = path.iterations;
    if (!path.completed) {
        report.reason = path.reason;
        return report;
    }
    report.converged = true;
    return report;
}

} // namespace discsim::solver
