#include "solver/disc_model.hpp"

#include "core/error.hpp"
#include "mesh/topology.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>
#include <variant>

namespace discsim::solver {

Vec3 superior_reference_point(const mesh::HexMesh& mesh) {
    return mesh::endplate_centre(mesh, mesh::Surface::superior_endplate);
}

DiscMaterials expand(const DiscMaterialOptions& options) {
    DiscMaterials m = named_material_set(options.annulus_ground);
    auto set = [](RegionMaterial& region, const char* key, const std::optional<double>& value) {
        if (value) region.coefficients[key] = Distribution::uniform(*value);
    };
    set(m.nucleus, "c10", options.nucleus_c10);
    set(m.nucleus, "c01", options.nucleus_c01);
    set(m.annulus, "c10", options.annulus_c10);
    if (options.annulus_c01 && m.annulus.model == SolidModel::hgo) {
        throw InputError("annulus c01: the neo-Hookean ground substance has no c01; "
                         "choose the Mooney-Rivlin ground (Schmidt et al. 2007)");
    }
    set(m.annulus, "c01", options.annulus_c01);
    set(m.annulus, "kappa", options.annulus_kappa);
    m.annulus.coefficients["k1"] = m.annulus.coefficients["k1"].scaled(options.annulus_k1_scale);
    m.annulus.coefficients["k2"] = m.annulus.coefficients["k2"].scaled(options.annulus_k2_scale);
    m.annulus.fibre_invariant = options.fibre_invariant;
    m.nucleus.bulk_to_shear = m.annulus.bulk_to_shear = options.bulk_to_shear;
    return m;
}

AnnulusPlace annulus_place(const mesh::HexMesh& mesh, int cell, const Vec3& centre) {
    AnnulusPlace place;
    place.ring = mesh.region[cell];
    place.rings = mesh.annulus_ring_count();
    // The centroid's angle from anterior, seen from the endplate centre (0 anterior, 1
    // posterior), and the layer from the outermost ring (0) to ring 1 (1).
    place.sector = std::abs(mesh::cell_angle_deg(mesh, cell, centre)) / 180.0;
    place.layer = place.rings > 1 ? (place.rings - place.ring) / (place.rings - 1.0) : 0.0;
    return place;
}

namespace {

// The two fibre families of an annulus cell turned to `angle_deg` from the transverse plane
// in their lamella, keeping each family's side: with a1, a2 at +-theta about the circumferential
// direction t, a1 + a2 is along t and a1 - a2 along the lamella's axial direction.
std::pair<Vec3, Vec3> fibres_at_angle(const Vec3& a1, const Vec3& a2, double angle_deg) {
    const Vec3 t = (a1 + a2).normalized();
    const Vec3 axial = (a1 - a2).normalized();
    const double theta = angle_deg * std::numbers::pi / 180.0;
    return {std::cos(theta) * t + std::sin(theta) * axial,
            std::cos(theta) * t - std::sin(theta) * axial};
}

} // namespace

Model disc_model(const mesh::HexMesh& mesh, const DiscMaterialOptions& options) {
    return disc_model(mesh, expand(options));
}

Model disc_model(const mesh::HexMesh& mesh, const DiscMaterials& materials) {
    Model model;
    model.mesh = &mesh;
    const int rings = mesh.annulus_ring_count();
    validate(materials.nucleus, "materials.nucleus", 0);
    validate(materials.annulus, "materials.annulus", rings);
    for (const auto& [key, d] : materials.nucleus.coefficients) {
        if (d.kind != Distribution::Kind::uniform)
            throw InputError("materials.nucleus." + key +
                             ": expected one value (the nucleus "
                             "has no rings or sectors), got a list or table");
    }
    model.materials.push_back(region_material_at(materials.nucleus, {}, "materials.nucleus"));
    model.cell_material.assign(mesh.cells.size(), 0);

    const auto& fibre_angle = materials.annulus.fibre_angle;
    if (fibre_angle) {
        model.fibre_direction_1 = mesh.fibre_direction_1;
        model.fibre_direction_2 = mesh.fibre_direction_2;
    }
    const Vec3 centre = mesh::endplate_centre(mesh);
    for (int c = 0; c < mesh.cell_count(); ++c) {
        if (mesh.region[c] == 0) continue;
        const AnnulusPlace place = annulus_place(mesh, c, centre);
        model.materials.push_back(
            region_material_at(materials.annulus, place, "materials.annulus"));
        model.cell_material[c] = static_cast<int>(model.materials.size()) - 1;
        if (fibre_angle && c < static_cast<int>(mesh.fibre_direction_1.size())) {
            std::tie(model.fibre_direction_1[c], model.fibre_direction_2[c]) = fibres_at_angle(
                mesh.fibre_direction_1[c], mesh.fibre_direction_2[c], fibre_angle->at(place));
        }
    }

    for (int n : mesh.node_set(mesh::Surface::inferior_endplate)) {
        for (int i = 0; i < 3; ++i)
            model.prescribed.push_back({n, i, 0.0});
    }
    RigidBody body;
    body.nodes = mesh.node_set(mesh::Surface::superior_endplate);
    body.reference_point = superior_reference_point(mesh);
    model.rigid_body = body;
    return model;
}

} // namespace discsim::solver
