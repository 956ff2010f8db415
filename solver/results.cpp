#include "solver/results.hpp"

#include "mesh/quality.hpp"
#include "mesh/topology.hpp"
#include "solver/rotation.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

namespace discsim::solver {

double von_mises(const Mat3& s) {
    const double a = s(0, 0) - s(1, 1), b = s(1, 1) - s(2, 2), c = s(2, 2) - s(0, 0);
    return std::sqrt(0.5 * (a * a + b * b + c * c) +
                     3.0 * (s(0, 1) * s(0, 1) + s(1, 2) * s(1, 2) + s(0, 2) * s(0, 2)));
}

Vec3 principal_values(const Mat3& sigma) {
    const Eigen::SelfAdjointEigenSolver<Mat3> solver(sigma, Eigen::EigenvaluesOnly);
    const Vec3 ascending = solver.eigenvalues();
    return Vec3(ascending[2], ascending[1], ascending[0]);
}

ResultEvaluator::ResultEvaluator(const mesh::HexMesh& mesh) : mesh_(mesh) {
    reference_volume_.resize(mesh.cells.size());
    Vec3 nucleus_centroid = Vec3::Zero();
    double nucleus_volume = 0.0;
    for (int c = 0; c < mesh.cell_count(); ++c) {
        reference_volume_[c] = mesh::hex_volume(mesh::cell_nodes(mesh, c));
        if (mesh.region[c] == 0) {
            nucleus_centroid += reference_volume_[c] * mesh::cell_centroid(mesh, c);
            nucleus_volume += reference_volume_[c];
        }
    }
    nucleus_centroid /= nucleus_volume;
    double best = std::numeric_limits<double>::infinity();
    for (int c = 0; c < mesh.cell_count(); ++c) {
        if (mesh.region[c] != 0) continue;
        const double d = (mesh::cell_centroid(mesh, c) - nucleus_centroid).norm();
        if (d < best) {
            best = d;
            centre_cell_ = c;
        }
    }
    // Outward horizontal normals of the outer wall at its nodes: area-weighted face normals.
    std::map<int, Vec3> normals;
    for (const auto& face : mesh.face_set(mesh::Surface::outer_wall)) {
        const auto& local = mesh::hex_faces()[face.local_face];
        Vec3 x[4];
        for (int k = 0; k < 4; ++k)
            x[k] = mesh.nodes[mesh.cells[face.cell][local[k]]];
        const Vec3 area_normal = 0.5 * (x[2] - x[0]).cross(x[3] - x[1]);
        for (int k = 0; k < 4; ++k) {
            auto [entry, inserted] =
                normals.try_emplace(mesh.cells[face.cell][local[k]], Vec3::Zero());
            entry->second += area_normal;
        }
    }
    const Vec3 centre = mesh::endplate_centre(mesh);
    for (auto& [node, normal] : normals) {
        if (mesh.nodes[node].x() >= centre.x()) continue;
        Vec3 horizontal(normal.x(), normal.y(), 0.0);
        if (horizontal.norm() == 0.0) continue;
        posterior_nodes_.push_back(node);
        posterior_normals_.push_back(horizontal.normalized());
    }
}

void ResultEvaluator::set_fluid_reference(const std::vector<ElementStress>& stresses) {
    initial_nucleus_volume_ = initial_disc_volume_ = 0.0;
    initial_stretch_.resize(stresses.size());
    for (std::size_t c = 0; c < stresses.size(); ++c)
        initial_stretch_[c] = stresses[c].fibre_stretch;
    for (int c = 0; c < mesh_.cell_count(); ++c) {
        const double v = reference_volume_[c] * stresses[c].dilatation;
        initial_disc_volume_ += v;
        if (mesh_.region[c] == 0) initial_nucleus_volume_ += v;
    }
}

GlobalResults ResultEvaluator::evaluate(const System& system, const State& state,
                                        const std::vector<ElementStress>& stresses,
                                        double dt) const {
    GlobalResults r;
    r.rotation_deg = rotation_vector(state.rp_rotation) * (180.0 / std::numbers::pi);
    r.translation = state.rp_displacement;
    r.carried = system.rp_internal_resultant();
    r.height_change = state.rp_displacement.z();
    double volume = 0.0, integral = 0.0;
    r.max_fibre_strain = -std::numeric_limits<double>::infinity();
    r.max_annulus_principal_stress = -std::numeric_limits<double>::infinity();
    for (int c = 0; c < mesh_.cell_count(); ++c) {
        const auto& s = stresses[c];
        if (mesh_.region[c] == 0) {
            const double v = reference_volume_[c] * s.dilatation;
            volume += v;
            integral += -s.cauchy.trace() / 3.0 * v;
        } else {
            for (int f = 0; f < 2; ++f) {
                const double from = initial_stretch_.empty() ? 1.0 : initial_stretch_[c][f];
                r.max_fibre_strain = std::max(r.max_fibre_strain, s.fibre_stretch[f] / from - 1.0);
            }
            r.max_annulus_principal_stress =
                std::max(r.max_annulus_principal_stress, principal_values(s.cauchy)[0]);
        }
    }
    if (!std::isfinite(r.max_fibre_strain)) r.max_fibre_strain = 0.0;
    if (!std::isfinite(r.max_annulus_principal_stress)) r.max_annulus_principal_stress = 0.0;
    r.idp_mean = volume > 0 ? integral / volume : 0.0;
    r.idp_centre = centre_cell_ >= 0 ? -stresses[centre_cell_].cauchy.trace() / 3.0 : 0.0;
    if (system.model().biphasic) {
        const auto fluid = system.fluid_states(state, false);
        FluidResults f;
        double nucleus = 0.0, disc = 0.0, interstitial = 0.0;
        for (int c = 0; c < mesh_.cell_count(); ++c) {
            const double v = reference_volume_[c] * stresses[c].dilatation;
            disc += v;
            if (mesh_.region[c] != 0) continue;
            nucleus += v;
            interstitial += v * (fluid[c].pressure + fluid[c].osmotic_pressure);
            f.nucleus_fluid_pressure += v * fluid[c].pressure;
            f.nucleus_osmotic_pressure += v * fluid[c].osmotic_pressure;
            f.nucleus_fluid_fraction += v * fluid[c].fluid_fraction;
        }
        if (nucleus > 0) {
            r.idp_mean = interstitial / nucleus;
            f.nucleus_fluid_pressure /= nucleus;
            f.nucleus_osmotic_pressure /= nucleus;
            f.nucleus_fluid_fraction /= nucleus;
        }
        if (centre_cell_ >= 0)
            r.idp_centre = fluid[centre_cell_].pressure + fluid[centre_cell_].osmotic_pressure;
        f.nucleus_fluid_volume_change = nucleus - initial_nucleus_volume_;
        f.disc_fluid_volume_change = disc - initial_disc_volume_;
        if (dt > 0.0)
            f.outflow = system.boundary_outflow(state, dt);
        else
            f.outflow.assign(system.model().biphasic->boundaries.size(), 0.0);
        r.fluid = std::move(f);
    }
    r.posterior_bulge = 0.0;
    for (std::size_t k = 0; k < posterior_nodes_.size(); ++k) {
        const Vec3 u = state.displacement(posterior_nodes_[k]);
        r.posterior_bulge = std::max(r.posterior_bulge, u.dot(posterior_normals_[k]));
    }
    return r;
}

mesh::ExtraFields ResultEvaluator::fields(const State& state,
                                          const std::vector<ElementStress>& stresses,
                                          const System* system) const {
    const std::size_t n = stresses.size();
    std::vector<Mat3> cauchy(n);
    std::vector<double> equivalent(n), pressure(n), principal(3 * n), stretch(2 * n);
    for (std::size_t c = 0; c < n; ++c) {
        const Mat3& s = stresses[c].cauchy;
        cauchy[c] = s;
        equivalent[c] = von_mises(s);
        pressure[c] = -s.trace() / 3.0;
        const Vec3 p = principal_values(s);
        for (int i = 0; i < 3; ++i)
            principal[3 * c + i] = p[i];
        const bool annulus = mesh_.region[c] > 0;
        for (int f = 0; f < 2; ++f)
            stretch[2 * c + f] = annulus ? stresses[c].fibre_stretch[f] : 0.0;
    }
    mesh::ExtraFields out;
    std::vector<double> displacement(3 * mesh_.nodes.size());
    for (std::size_t node = 0; node < mesh_.nodes.size(); ++node) {
        const Vec3 u = state.displacement(static_cast<int>(node));
        for (int i = 0; i < 3; ++i)
            displacement[3 * node + i] = u[i];
    }
    out.point_data.push_back({"displacement", 3, {"X", "Y", "Z"}, std::move(displacement), "mm"});
    out.cell_data.push_back(mesh::symmetric_tensor_array("cauchy_stress", cauchy));
    out.cell_data.back().unit = "MPa";
    out.cell_data.push_back({"von_mises", 1, {}, std::move(equivalent), "MPa"});
    out.cell_data.push_back({"principal_stress", 3, {"max", "mid", "min"}, std::move(principal), "MPa"});
    out.cell_data.push_back({"hydrostatic_pressure", 1, {}, std::move(pressure), "MPa"});
    out.cell_data.push_back({"fibre_stretch", 2, {"family_1", "family_2"}, std::move(stretch), "1"});
    if (!system || !system->model().biphasic) return out;
    std::vector<double> p(mesh_.nodes.size());
    for (std::size_t node = 0; node < mesh_.nodes.size(); ++node)
        p[node] = state.u[system->layout().index(static_cast<int>(node), Field::pore_pressure, 0)];
    out.point_data.push_back({"fluid_pressure", 1, {}, std::move(p), "MPa"});
    const auto fluid = system->fluid_states(state);
    std::vector<double> interstitial(n), osmotic(n), flux(3 * n), fraction(n), permeability(n);
    for (std::size_t c = 0; c < n; ++c) {
        interstitial[c] = fluid[c].pressure + fluid[c].osmotic_pressure;
        osmotic[c] = fluid[c].osmotic_pressure;
        for (int i = 0; i < 3; ++i)
            flux[3 * c + i] = fluid[c].flux[i];
        fraction[c] = fluid[c].fluid_fraction;
        permeability[c] = fluid[c].permeability;
    }
    out.cell_data.push_back({"interstitial_pressure", 1, {}, std::move(interstitial), "MPa"});
    out.cell_data.push_back({"osmotic_pressure", 1, {}, std::move(osmotic), "MPa"});
    out.cell_data.push_back({"fluid_flux", 3, {"X", "Y", "Z"}, std::move(flux), "mm/s"});
    out.cell_data.push_back({"fluid_fraction", 1, {}, std::move(fraction), "1"});
    out.cell_data.push_back({"permeability", 1, {}, std::move(permeability), "mm^4/(N s)"});
    return out;
}

} // namespace discsim::solver
