#include "solver/disc_model.hpp"

#include "core/error.hpp"
#include "mesh/topology.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <variant>

namespace discsim::solver {

std::pair<double, double> gruber2024_fibre_parameters(double sector, double layer) {
    const double k1 = 3.73 * (1.0 - 0.024 * (sector - 1.0)) * (1.0 - 0.124 * (layer - 1.0));
    const double k2 = 89.57 * (1.0 - 0.1077 * (sector - 1.0)) * (1.0 - 0.0666 * (layer - 1.0));
    return {k1, k2};
}

Vec3 superior_reference_point(const mesh::HexMesh& mesh) {
    return mesh::endplate_centre(mesh, mesh::Surface::superior_endplate);
}

Model disc_model(const mesh::HexMesh& mesh, const DiscMaterialOptions& options) {
    Model model;
    model.mesh = &mesh;
    // Overrides first, then the bulk modulus from the final shear modulus, then validation
    // (bad values fail here, with the parameter's name and range, before any solve).
    auto with_bulk = [&](materials::Material m) {
        m.volumetric.bulk_modulus = options.bulk_to_shear * materials::small_strain_shear_modulus(m);
        materials::validate(m);
        return m;
    };
    auto override_ground = [](materials::Material& m, const std::optional<double>& c10,
                              const std::optional<double>& c01) {
        std::visit(
            [&](auto& ground) {
                if (c10) ground.c10 = *c10;
                if constexpr (requires { ground.c01; }) {
                    if (c01) ground.c01 = *c01;
                } else if (c01) {
                    throw InputError("annulus c01: the neo-Hookean ground substance has no c01; "
                                     "choose the Mooney-Rivlin ground (Schmidt et al. 2007)");
                }
            },
            m.ground);
    };
    materials::Material nucleus = materials::default_nucleus();
    override_ground(nucleus, options.nucleus_c10, options.nucleus_c01);
    model.materials.push_back(with_bulk(nucleus));
    model.cell_material.assign(mesh.cells.size(), 0);

    const Vec3 centre = mesh::endplate_centre(mesh);
    const int rings = mesh.annulus_ring_count();
    for (int c = 0; c < mesh.cell_count(); ++c) {
        const int ring = mesh.region[c];
        if (ring == 0) continue;
        const Vec3 d = mesh::cell_centroid(mesh, c) - centre;
        const double angle = std::abs(std::atan2(d.y(), d.x())) * 180.0 / std::numbers::pi;
        const double sector = 1.0 + 4.0 * angle / 180.0;
        const double layer = rings > 1 ? 1.0 + 4.0 * (rings - ring) / (rings - 1.0) : 1.0;
        const auto [k1, k2] = gruber2024_fibre_parameters(sector, layer);
        const double k1_used = k1 * options.annulus_k1_scale, k2_used = k2 * options.annulus_k2_scale;
        materials::Material m = options.annulus_ground == AnnulusGround::neo_hookean_gruber2024
                                    ? materials::default_annulus(k1_used, k2_used)
                                    : materials::schmidt2007_annulus(k1_used, k2_used);
        override_ground(m, options.annulus_c10, options.annulus_c01);
        if (m.fibres) {
            m.fibres->invariant = options.fibre_invariant;
            if (options.annulus_kappa) m.fibres->kappa = *options.annulus_kappa;
        }
        model.materials.push_back(with_bulk(m));
        model.cell_material[c] = static_cast<int>(model.materials.size()) - 1;
    }

    for (int n : mesh.node_set(mesh::Surface::inferior_endplate)) {
        for (int i = 0; i < 3; ++i) model.prescribed.push_back({n, i, 0.0});
    }
    RigidBody body;
    body.nodes = mesh.node_set(mesh::Surface::superior_endplate);
    body.reference_point = superior_reference_point(mesh);
    model.rigid_body = body;
    return model;
}

} // namespace discsim::solver
