#include "solver/system.hpp"

#include "solver/blas_one_column.hpp"
#include "solver/rupture.hpp"

#include "solver/krylov.hpp"
#include "solver/linear_solver.hpp"

#include "core/error.hpp"
#include "mesh/topology.hpp"
#include "solver/rotation.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

namespace discsim::solver {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr int prescribed_dof = -1;
bool is_slave(int dof) {
    return dof <= -2;
}
int slave_index(int dof) {
    return -2 - dof;
}

// dx_n = T_n d_r with T_n = [I, -[r_n]x].
Eigen::Matrix<double, 3, 6> rigid_map(const Vec3& arm) {
    Eigen::Matrix<double, 3, 6> T;
    T.leftCols<3>().setIdentity();
    T.rightCols<3>() = -skew(arm);
    return T;
}

// Greedy colouring: no two elements of a colour share a node.
std::vector<std::vector<int>> colour_elements(const mesh::HexMesh& mesh) {
    std::vector<std::vector<int>> node_cells(mesh.nodes.size());
    for (int c = 0; c < mesh.cell_count(); ++c) {
        for (int n : mesh.cells[c])
            node_cells[n].push_back(c);
    }
    std::vector<int> colour(mesh.cells.size(), -1);
    std::vector<std::vector<int>> colours;
    std::vector<char> taken;
    for (int c = 0; c < mesh.cell_count(); ++c) {
        taken.assign(colours.size() + 1, 0);
        for (int n : mesh.cells[c]) {
            for (int other : node_cells[n]) {
                if (colour[other] >= 0) taken[colour[other]] = 1;
            }
        }
        int k = 0;
        while (taken[k])
            ++k;
        if (k == static_cast<int>(colours.size())) colours.emplace_back();
        colour[c] = k;
        colours[k].push_back(c);
    }
    return colours;
}

// The LU of the bordered vertebra system [S G^T; G 0]: the Schur complement S of the free
// unknowns with the (scaled) rows G of the prescribed vertebra motions.
Eigen::FullPivLU<Eigen::MatrixXd> bordered_lu(const Mat6& schur, const Eigen::MatrixXd& G) {
    const int c = static_cast<int>(G.rows());
    Eigen::MatrixXd augmented = Eigen::MatrixXd::Zero(6 + c, 6 + c);
    augmented.topLeftCorner<6, 6>() = schur;
    augmented.block(0, 6, 6, c) = G.transpose();
    augmented.block(6, 0, c, 6) = G;
    return Eigen::FullPivLU<Eigen::MatrixXd>(augmented);
}

} // namespace

System::System(const Model& model)
    : model_(model),
      linear_(model.biphasic ? make_umfpack_solver() : make_cholmod_solver()) {
    if (!model.mesh) throw InputError("solver: the model has no mesh");
    const mesh::HexMesh& mesh = *model.mesh;
    const int cells = mesh.cell_count();
    if (static_cast<int>(model.cell_material.size()) != cells) {
        throw InputError("solver: " + std::to_string(model.cell_material.size()) +
                         " material assignments for " + std::to_string(cells) + " cells");
    }
    geometry_.resize(cells);
    element_materials_.resize(cells);
    for (int c = 0; c < cells; ++c) {
        std::array<Vec3, 8> x;
        for (int k = 0; k < 8; ++k)
            x[k] = mesh.nodes[mesh.cells[c][k]];
        if (!hex8_geometry(x, geometry_[c])) {
            throw InputError("solver: cell " + std::to_string(c) +
                             " is degenerate or inverted in the reference configuration");
        }
        const int m = model.cell_material[c];
        if (m < 0 || m >= static_cast<int>(model.materials.size())) {
            throw InputError("solver: cell " + std::to_string(c) + " has material index " +
                             std::to_string(m));
        }
        element_materials_[c].material = &model.materials[m];
        const auto& fibre_1 = model.fibres_1();
        const auto& fibre_2 = model.fibres_2();
        if (c < static_cast<int>(fibre_1.size())) {
            element_materials_[c].fibre_1 = fibre_1[c];
            element_materials_[c].fibre_2 = fibre_2[c];
        }
    }

    // DOF map. Fields other than displacement are held unless a formulation assembles them:
    // a biphasic model assembles the pore pressure, held only on its drained nodes.
    const DofLayout& layout = model.layout;
    if (model.biphasic) {
        if (!layout.has(Field::pore_pressure) || layout.per_node() != 4)
            throw InputError("solver: a biphasic model needs the layout {displacement, pore_pressure}");
        if (static_cast<int>(model.biphasic->cells.size()) != cells)
            throw InputError("solver: " + std::to_string(model.biphasic->cells.size()) +
                             " biphasic cell properties for " + std::to_string(cells) + " cells");
    }
    assembled_per_node_ = model.biphasic ? 4 : 3;
    element_dofs_ = 8 * assembled_per_node_;
    dof_.assign(layout.size(mesh.node_count()), 0);
    for (int n = 0; n < mesh.node_count(); ++n) {
        for (const Field f : layout.fields()) {
            if (f == Field::displacement || (model.biphasic && f == Field::pore_pressure)) continue;
            for (int i = 0; i < field_info(f).components; ++i)
                dof_[layout.index(n, f, i)] = prescribed_dof;
        }
    }
    if (model.biphasic) {
        for (const int n : model.biphasic->drained_nodes)
            dof_.at(layout.index(n, Field::pore_pressure, 0)) = prescribed_dof;
    }
    for (const auto& p : model.prescribed)
        dof_[layout.displacement(p.node, p.component)] = prescribed_dof;
    if (model.rigid_body) {
        slave_nodes_ = model.rigid_body->nodes;
        double sum_squares = 0.0;
        for (std::size_t k = 0; k < slave_nodes_.size(); ++k) {
            const int n = slave_nodes_[k];
            for (int i = 0; i < 3; ++i) {
                if (dof_[layout.displacement(n, i)] == prescribed_dof) {
                    throw InputError("solver: node " + std::to_string(n) +
                                     " is both prescribed and tied to the rigid body");
                }
                dof_[layout.displacement(n, i)] = -2 - static_cast<int>(k);
            }
            sum_squares += (mesh.nodes[n] - model.rigid_body->reference_point).squaredNorm();
        }
        if (!slave_nodes_.empty()) {
            characteristic_length_ = std::sqrt(sum_squares / slave_nodes_.size());
        }
        slave_forces_.assign(slave_nodes_.size(), Vec3::Zero());
    }
    // 0 marks "free, not numbered yet"; numbering in node order keeps the mesh's bandwidth.
    for (auto& d : dof_) {
        if (d == 0) d = free_count_++;
    }

    loads_ = standard_loads(model);

    // Colouring, pattern and scatter map.
    colours_ = colour_elements(mesh);
    // Cells with a node on the rigid body, each with its own slot for its 6x6 RP block, so the
    // blocks are summed in cell order after the parallel loop: the result is then the same,
    // bit for bit, whatever the thread count or scheduling.
    rp_slot_.assign(cells, -1);
    int slots = 0;
    for (int c = 0; c < cells; ++c) {
        for (int n : mesh.cells[c])
            if (is_slave(dof_[layout.displacement(n, 0)])) {
                rp_slot_[c] = slots++;
                break;
            }
    }
    rp_blocks_.assign(slots, Mat6::Zero());
    element_energy_.assign(cells, 0.0);
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(static_cast<std::size_t>(cells) * 300);
    // The element's values: per node its displacement, then (biphasic) its pore pressure.
    const int nd = element_dofs_;
    const bool whole = !linear_->symmetric();
    auto element_dofs = [&](int c, std::array<int, max_element_dofs>& eq) {
        for (int k = 0; k < 8; ++k) {
            for (int i = 0; i < assembled_per_node_; ++i)
                eq[assembled_per_node_ * k + i] = dof_[layout.index(mesh.cells[c][k], Field::displacement, 0) + i];
        }
    };
    std::array<int, max_element_dofs> eq;
    for (int c = 0; c < cells; ++c) {
        element_dofs(c, eq);
        for (int i = 0; i < nd; ++i) {
            for (int j = 0; j < nd; ++j) {
                if (eq[i] >= 0 && eq[j] >= 0 && (whole || eq[i] >= eq[j]))
                    entries.emplace_back(eq[i], eq[j], 0.0);
            }
        }
    }
    matrix_.resize(free_count_, free_count_);
    matrix_.setFromTriplets(entries.begin(), entries.end());
    matrix_.makeCompressed();
    scatter_.assign(static_cast<std::size_t>(cells) * nd * nd, -1);
    const int* outer = matrix_.outerIndexPtr();
    const int* inner = matrix_.innerIndexPtr();
    for (int c = 0; c < cells; ++c) {
        element_dofs(c, eq);
        int* map = scatter_.data() + static_cast<std::size_t>(c) * nd * nd;
        for (int i = 0; i < nd; ++i) {
            for (int j = 0; j < nd; ++j) {
                if (eq[i] < 0 || eq[j] < 0 || (!whole && eq[i] < eq[j])) continue;
                const int column = eq[j], row = eq[i];
                const int* position =
                    std::lower_bound(inner + outer[column], inner + outer[column + 1], row);
                map[nd * i + j] = static_cast<int>(position - inner);
            }
        }
    }
    if (model.biphasic) {
        // The conductance faces: integral of c N_a N_b dA over the bilinear reference face,
        // 2 x 2 Gauss points (corners in hex_faces() order, which goes round the face).
        const double q = 1.0 / std::sqrt(3.0);
        const double corner[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
        for (int b = 0; b < static_cast<int>(model.biphasic->boundaries.size()); ++b) {
            const FluidBoundary& boundary = model.biphasic->boundaries[b];
            if (boundary.kind != FluidBoundary::Kind::conductance) continue;
            if (!(boundary.conductance > 0.0))
                throw InputError("solver: boundary '" + boundary.name +
                                 "' needs a conductance > 0 mm^3/(N s)");
            for (const mesh::CellFace& face : boundary.faces) {
                ConductanceFace cf;
                cf.boundary = b;
                cf.cell = face.cell;
                cf.local = mesh::hex_faces()[face.local_face];
                std::array<Vec3, 4> X;
                for (int k = 0; k < 4; ++k)
                    X[k] = mesh.nodes[mesh.cells[face.cell][cf.local[k]]];
                for (const double xi : {-q, q}) {
                    for (const double eta : {-q, q}) {
                        Eigen::Vector4d N;
                        Vec3 dxi = Vec3::Zero(), deta = Vec3::Zero();
                        for (int k = 0; k < 4; ++k) {
                            const double sx = corner[k][0], sy = corner[k][1];
                            N[k] = 0.25 * (1 + sx * xi) * (1 + sy * eta);
                            dxi += 0.25 * sx * (1 + sy * eta) * X[k];
                            deta += 0.25 * sy * (1 + sx * xi) * X[k];
                        }
                        cf.matrix += boundary.conductance * dxi.cross(deta).norm() * N * N.transpose();
                    }
                }
                conductance_faces_.push_back(cf);
            }
        }
    }
    residual_free_.setZero(free_count_);
    coupling_.setZero(free_count_, 6);
    if (!linear_->symmetric()) coupling_rows_.setZero(free_count_, 6);
    reactions_.setZero(layout.size(mesh.node_count()));
    step_reactions_ = reactions_;
    history_ = HistoryStore(cells);
    previous_ = initial_state();
}

System::~System() = default;

State System::initial_state() const {
    State state;
    state.u.setZero(model_.layout.size(model_.mesh->node_count()));
    state.per_node = model_.layout.per_node();
    return state;
}

void System::apply_constraints(State& state, const LoadState& load) const {
    for (const auto& p : model_.prescribed) {
        state.u[model_.layout.displacement(p.node, p.component)] = p.value * load.prescribed_scale;
    }
    if (!model_.rigid_body) return;
    const Vec3& reference = model_.rigid_body->reference_point;
    for (int n : slave_nodes_) {
        const Vec3& X = model_.mesh->nodes[n];
        const Vec3 x = reference + state.rp_displacement + state.rp_rotation * (X - reference);
        state.u.segment<3>(model_.layout.displacement(n, 0)) = x - X;
    }
}

void System::gather(const State& state, int cell, ElementVector& u) const {
    const auto& nodes = model_.mesh->cells[cell];
    for (int k = 0; k < 8; ++k)
        u.segment<3>(3 * k) = state.u.segment<3>(model_.layout.displacement(nodes[k], 0));
}

void System::gather_pressures(const State& state, int cell, NodalPressures& p) const {
    const auto& nodes = model_.mesh->cells[cell];
    for (int k = 0; k < 8; ++k)
        p[k] = state.u[model_.layout.index(nodes[k], Field::pore_pressure, 0)];
}

Eigen::Vector4d System::face_pressures(const State& state, const ConductanceFace& face) const {
    const auto& nodes = model_.mesh->cells[face.cell];
    Eigen::Vector4d p;
    for (int k = 0; k < 4; ++k)
        p[k] = state.u[model_.layout.index(nodes[face.local[k]], Field::pore_pressure, 0)];
    return p;
}

void System::commit(const State& state) {
    history_.commit();
    previous_ = state;
    // The reactions of the last assembly, at the accepted state over its time step: the drained
    // nodes' outflow over that step (boundary_outflow).
    step_reactions_ = reactions_;
}

ElementMaterial System::element_material(int cell, materials::Material& storage) const {
    ElementMaterial m = element_materials_[cell];
    const double damage = history_.trial(cell).damage;
    if (damage > 0.0) {
        storage = apply_damage(*m.material, damage, damage_residual_);
        m.material = &storage;
    }
    return m;
}

void System::set_damage_residual(double residual) {
    check_parameter(residual_stiffness_spec, residual);
    damage_residual_ = residual;
}

AssemblyResult System::assemble(const State& state, const LoadState& load, bool tangent) {
    return assemble(state, load, tangent, nullptr);
}

AssemblyResult System::assemble(const State& state, const LoadState& load, bool tangent,
                                const State* base) {
    const bool linearised = tangent && base && has_dilatation_base();
    const auto start = Clock::now();
    const mesh::HexMesh& mesh = *model_.mesh;
    residual_free_.setZero();
    const bool symmetric = linear_->symmetric();
    if (tangent) {
        std::fill(matrix_.valuePtr(), matrix_.valuePtr() + matrix_.nonZeros(), 0.0);
        coupling_.setZero();
        if (!symmetric) coupling_rows_.setZero();
    }
    for (auto& f : slave_forces_)
        f.setZero();
    reactions_.setZero();

    const Vec3 rp_position =
        (model_.rigid_body ? model_.rigid_body->reference_point : Vec3::Zero()) +
        state.rp_displacement;
    auto arm = [&](int node) -> Vec3 {
        return mesh.nodes[node] + state.displacement(node) - rp_position;
    };

    struct Accumulator {
        int inverted = -1;
    };
    tbb::enumerable_thread_specific<Accumulator> accumulators;
    for (auto& block : rp_blocks_)
        block.setZero();
    double* values = matrix_.valuePtr();

    // One element's residual and tangent into the system: its free values into r_f and K_ff
    // (through the scatter map), its vertebra nodes' forces and blocks into the rigid body's,
    // its prescribed values' forces into the reactions. Sized by the element: 24 values (the
    // solid) or 32 (biphasic: the pore pressure after each node's displacement).
    auto add_element = [&](int c, const auto& force, const auto& K) {
        constexpr int nd = std::decay_t<decltype(force)>::RowsAtCompileTime;
        constexpr int pn = nd / 8;
        const auto& nodes = mesh.cells[c];
        std::array<int, nd> eq;
        for (int k = 0; k < 8; ++k) {
            const int first = model_.layout.index(nodes[k], Field::displacement, 0);
            for (int i = 0; i < pn; ++i)
                eq[pn * k + i] = dof_[first + i];
        }
        for (int i = 0; i < nd; ++i) {
            if (eq[i] >= 0)
                residual_free_[eq[i]] += force[i];
            else if (is_slave(eq[i]))
                slave_forces_[slave_index(eq[i])][i % pn] += force[i];
            else
                reactions_[model_.layout.index(nodes[i / pn], Field::displacement, 0) + i % pn] +=
                    force[i];
        }
        if (!tangent) return;
        const int* map = scatter_.data() + static_cast<std::size_t>(c) * nd * nd;
        for (int i = 0; i < nd; ++i) {
            for (int j = 0; j < nd; ++j) {
                if (map[nd * i + j] >= 0) values[map[nd * i + j]] += K(i, j);
            }
        }
        if (rp_slot_[c] < 0) return;
        Mat6& rp_block = rp_blocks_[rp_slot_[c]];
        for (int b = 0; b < 8; ++b) {
            if (!is_slave(eq[pn * b])) continue;
            const auto T_b = rigid_map(arm(nodes[b]));
            for (int i = 0; i < nd; ++i) {
                if (eq[i] >= 0) {
                    coupling_.row(eq[i]) += K.template block<1, 3>(i, pn * b) * T_b;
                    // The vertebra's rows, d(sum T_b^T f_b)/dx_i, transposed: not K_fr's
                    // transpose when the element's tangent is unsymmetric.
                    if (!symmetric)
                        coupling_rows_.row(eq[i]) +=
                            K.template block<3, 1>(pn * b, i).transpose() * T_b;
                }
            }
            for (int a = 0; a < 8; ++a) {
                if (!is_slave(eq[pn * a])) continue;
                const auto T_a = rigid_map(arm(nodes[a]));
                rp_block += T_a.transpose() * K.template block<3, 3>(pn * a, pn * b) * T_b;
            }
        }
    };

    for (const auto& colour : colours_) {
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, colour.size(), 16),
            [&](const tbb::blocked_range<std::size_t>& range) {
                auto& acc = accumulators.local();
                ElementVector u, force;
                ElementMatrix K;
                BiphasicVector biphasic_force;
                BiphasicMatrix biphasic_K;
                ElementVector u_previous, u_base, dilatation_gradient;
                NodalPressures p, p_previous;
                materials::Material damaged;
                for (std::size_t index = range.begin(); index != range.end(); ++index) {
                    const int c = colour[index];
                    gather(state, c, u);
                    double energy = 0.0;
                    ElementStatus status;
                    if (model_.biphasic) {
                        gather(previous_, c, u_previous);
                        gather_pressures(state, c, p);
                        gather_pressures(previous_, c, p_previous);
                        status = hex8_biphasic_evaluate(
                            geometry_[c], element_material(c, damaged), model_.biphasic->cells[c],
                            load.time_step, u, p, u_previous, p_previous, energy, biphasic_force,
                            tangent ? &biphasic_K : nullptr, load.osmotic_scale);
                    } else {
                        // theta(base) + dtheta/du(base) . (u - u_base); the exact tangent
                        // where the base element is inverted (the line search's business).
                        double theta_base = 0.0, tangent_theta = 0.0;
                        bool have_base = false;
                        if (linearised) {
                            gather(*base, c, u_base);
                            have_base = hex8_dilatation(geometry_[c], u_base, theta_base,
                                                        dilatation_gradient) == ElementStatus::ok;
                            tangent_theta = theta_base + dilatation_gradient.dot(u - u_base);
                        }
                        status = hex8_evaluate(geometry_[c], element_material(c, damaged),
                                               model_.treatment, u, energy, force,
                                               tangent ? &K : nullptr,
                                               have_base ? &tangent_theta : nullptr);
                    }
                    if (status != ElementStatus::ok) {
                        if (acc.inverted < 0 || c < acc.inverted) acc.inverted = c;
                        element_energy_[c] = 0.0;
                        continue;
                    }
                    element_energy_[c] = energy;
                    if (model_.biphasic)
                        add_element(c, biphasic_force, biphasic_K);
                    else
                        add_element(c, force, K);
                }
            });
    }

    // Outflow through thin permeable layers: dt c N_a N_b p_b added to the mass balance of the
    // face's nodes (R_p carries the factor -dt, as in the element).
    for (const ConductanceFace& face : conductance_faces_) {
        const auto& nodes = mesh.cells[face.cell];
        const int* map = scatter_.data() + static_cast<std::size_t>(face.cell) * 32 * 32;
        const Eigen::Vector4d r = -load.time_step * (face.matrix * face_pressures(state, face));
        for (int a = 0; a < 4; ++a) {
            const int index = model_.layout.index(nodes[face.local[a]], Field::pore_pressure, 0);
            const int eq_a = dof_[index];
            if (eq_a >= 0)
                residual_free_[eq_a] += r[a];
            else
                reactions_[index] += r[a];
            if (!tangent || eq_a < 0) continue;
            for (int b = 0; b < 4; ++b) {
                const int slot = map[32 * (4 * face.local[a] + 3) + 4 * face.local[b] + 3];
                if (slot >= 0) values[slot] -= load.time_step * face.matrix(a, b);
            }
        }
    }

    AssemblyResult result;
    rp_block_.setZero();
    for (const double e : element_energy_)
        result.energy += e;
    for (const auto& block : rp_blocks_)
        rp_block_ += block;
    for (const auto& acc : accumulators) {
        if (acc.inverted >= 0 &&
            (result.inverted_cell < 0 || acc.inverted < result.inverted_cell)) {
            result.inverted_cell = acc.inverted;
        }
    }
    result.ok = result.inverted_cell < 0;

    // External loads: nodal forces first (on the vertebra's nodes they load it through them),
    // then the vertebra's resultant, then the wrenches and stiffness loads add at its point.
    struct Target final : LoadTarget {
        System& s;
        bool tangent;
        Vec6 wrench = Vec6::Zero();
        explicit Target(System& system, bool t) : s(system), tangent(t) {}
        void add_nodal_force(int node, const Vec3& f) override {
            for (int i = 0; i < 3; ++i) {
                const int d = s.dof_[s.model_.layout.displacement(node, i)];
                if (d >= 0)
                    s.residual_free_[d] -= f[i];
                else if (is_slave(d))
                    s.slave_forces_[slave_index(d)][i] -= f[i];
            }
        }
        void add_vertebra_wrench(const Vec6& w) override { wrench += w; }
        void add_vertebra_stiffness(const Mat6& k) override {
            if (tangent) s.rp_block_ += k;
        }
    } target(*this, tangent);
    for (const auto& l : loads_)
        l->add(state, load, tangent, target);
    rp_internal_.setZero();
    rp_residual_.setZero();
    if (model_.rigid_body) {
        Mat3 geometric = Mat3::Zero();
        for (std::size_t k = 0; k < slave_nodes_.size(); ++k) {
            const Vec3 r = arm(slave_nodes_[k]);
            const Vec3& f = slave_forces_[k];
            rp_internal_.head<3>() += f;
            rp_internal_.tail<3>() += r.cross(f);
            // d(sum r x f)/dtheta at fixed f: sum (r f^T - (f . r) I).
            geometric += r * f.transpose() - f.dot(r) * Mat3::Identity();
        }
        rp_residual_ = rp_internal_ - target.wrench;
        if (tangent) rp_block_.bottomRightCorner<3, 3>() += geometric;
    }
    times_.assembly += seconds_since(start);
    ++times_.assemblies;
    if (tangent) ++times_.tangents;
    return result;
}

void System::constraint_rows(const State& state, const LoadState& load, Eigen::MatrixXd& G,
                             Eigen::VectorXd& g) const {
    int count = 0;
    for (int i = 0; i < 3; ++i)
        count += load.rp_displacement[i].has_value() + load.rp_rotation[i].has_value();
    G.setZero(count, 6);
    g.setZero(count);
    const Vec3 theta = rotation_vector(state.rp_rotation);
    const Mat3 J_inverse = inverse_left_jacobian(theta);
    int row = 0;
    for (int i = 0; i < 3; ++i) {
        if (load.rp_displacement[i]) {
            G(row, i) = 1.0;
            g[row++] = *load.rp_displacement[i] - state.rp_displacement[i];
        }
    }
    for (int i = 0; i < 3; ++i) {
        if (load.rp_rotation[i]) {
            G.block<1, 3>(row, 3) = J_inverse.row(i);
            g[row++] = *load.rp_rotation[i] - theta[i];
        }
    }
}

void System::set_unsymmetric_solver(UnsymmetricSolver solver) {
    if (linear_->symmetric()) return;
    unsymmetric_ = solver;
    switch (solver) {
    case UnsymmetricSolver::umfpack: linear_ = make_umfpack_solver(); break;
    case UnsymmetricSolver::mumps: linear_ = make_mumps_lu_solver(); break;
    case UnsymmetricSolver::mumps_single:
        // A single-precision LU only as a preconditioner: full Newton solves directly.
        linear_ = reuse_.enabled ? make_mumps_single_lu_solver() : make_mumps_lu_solver();
        break;
    }
    factors_valid_ = false;
}

void System::set_factorisation_reuse(const FactorisationReuse& reuse) {
    const bool changed = reuse.enabled != reuse_.enabled;
    reuse_ = reuse;
    if (changed && unsymmetric_ == UnsymmetricSolver::mumps_single)
        set_unsymmetric_solver(unsymmetric_);
}

std::optional<System::Snapshot> System::snapshot() const {
    Snapshot s;
    if (factors_valid_) {
        s.factors = linear_->copy_factors();
        if (!s.factors) return std::nullopt;
    }
    s.history = history_;
    s.previous = previous_;
    s.reactions = reactions_;
    s.step_reactions = step_reactions_;
    s.times = times_;
    s.factors_valid = factors_valid_;
    s.factors_stale = factors_stale_;
    s.factors_fallback = factors_fallback_;
    s.factored_rows = factored_rows_;
    s.factored_X = factored_X_;
    s.factored_schur = factored_schur_;
    return s;
}

void System::restore(const Snapshot& s) {
    history_ = s.history;
    previous_ = s.previous;
    reactions_ = s.reactions;
    step_reactions_ = s.step_reactions;
    times_ = s.times;
    factors_valid_ = s.factors_valid;
    factors_stale_ = s.factors_stale;
    factors_fallback_ = s.factors_fallback;
    factored_rows_ = s.factored_rows;
    factored_X_ = s.factored_X;
    factored_schur_ = s.factored_schur;
    if (s.factors) linear_->restore_factors(*s.factors);
}

SolveResult System::solve(const State& state, const LoadState& load, Eigen::VectorXd& direction) {
    ++times_.solves;
    // factors_valid_ implies free unknowns: with none there is nothing to factorise.
    if (reuse_.enabled && factors_valid_ && !factors_stale_) {
        if (krylov_solve(state, load, direction)) {
            SolveResult result;
            result.used_fallback = factors_fallback_;
            return result;
        }
    }
    SolveResult result = direct_solve(state, load, direction);
    if (!result.ok || linear_->exact()) return result;
    // A single-precision factorisation's own answer is good to about its precision times the
    // condition number: GMRES with the fresh factors takes it to the tolerance (a few
    // iterations). Should that fail, the rest of the run factorises in double precision.
    Eigen::VectorXd refined;
    if (factors_valid_ && krylov_solve(state, load, refined)) {
        direction = refined;
        return result;
    }
    set_unsymmetric_solver(UnsymmetricSolver::mumps);
    return direct_solve(state, load, direction);
}

bool System::krylov_solve(const State& state, const LoadState& load, Eigen::VectorXd& direction) {
    const auto start = Clock::now();
    const int nf = free_count_;
    const int rp = model_.rigid_body ? 6 : 0;
    Eigen::MatrixXd G;
    Eigen::VectorXd g;
    if (rp) constraint_rows(state, load, G, g);
    const int c = static_cast<int>(G.rows());
    // Constraint rows balanced against the current vertebra block, as the direct solve
    // balances them against its Schur complement. The scale sets how much of |b| the
    // constraint rows make, so it must come from the current tangent: scaled by the Schur
    // complement of an earlier, nearly singular tangent (huge), the constraint rows swamp
    // |b| and GMRES stops at a direction that meets them and nothing else (found on a
    // crushed disc, tests/test_run_command.cpp).
    const double scale = rp ? std::max(rp_block_.cwiseAbs().maxCoeff(), 1e-300) : 1.0;
    if (c) {
        G *= scale;
        g *= scale;
    }
    // The kept factorisation's bordered inverse, exact for the tangent it factorised (with
    // today's constraint rows): the preconditioner.
    Eigen::FullPivLU<Eigen::MatrixXd> border;
    if (rp) {
        border = bordered_lu(factored_schur_, G);
        if (!border.isInvertible()) {
            times_.solve += seconds_since(start);
            return false;
        }
    }
    const bool symmetric = linear_->symmetric();
    const LinearMap apply = [&](const Eigen::VectorXd& x, Eigen::VectorXd& out) {
        out.resize(x.size());
        if (symmetric) {
            out.head(nf) = matrix_.selfadjointView<Eigen::Lower>() * x.head(nf);
        } else {
            out.head(nf) = matrix_ * x.head(nf);
        }
        if (!rp) return;
        const auto xr = x.segment<6>(nf);
        out.head(nf) += coupling_ * xr;
        out.segment<6>(nf) = tangent_rigid_rows().transpose() * x.head(nf) + rp_block_ * xr;
        if (c) {
            out.segment<6>(nf) += G.transpose() * x.tail(c);
            out.tail(c) = G * xr;
        }
    };
    const LinearMap precondition = [&](const Eigen::VectorXd& x, Eigen::VectorXd& out) {
        out.resize(x.size());
        const Eigen::MatrixXd y = linear_->solve(x.head(nf));
        if (!rp) {
            out = y.col(0);
            return;
        }
        Eigen::VectorXd b(6 + c);
        b.head<6>() = x.segment<6>(nf) - factored_rows_.transpose() * y.col(0);
        if (c) b.tail(c) = x.tail(c);
        const Eigen::VectorXd border_solution = border.solve(b);
        const Vec6 d_r = border_solution.head<6>();
        out.head(nf) = y.col(0) - factored_X_ * d_r;
        out.segment<6>(nf) = d_r;
        if (c) out.tail(c) = border_solution.tail(c);
    };
    Eigen::VectorXd b(nf + rp + c);
    b.head(nf) = -residual_free_;
    if (rp) b.segment<6>(nf) = -rp_residual_;
    if (c) b.tail(c) = g;
    // The tolerance is relative to what is out of balance: b without the reactions of the
    // prescribed motions, which the multipliers carry and which can be far larger (a
    // 25-degree flexion's moment, 1e4 N mm). Relative to |b| itself, a loose tolerance lets
    // Newton stall at tolerance x reaction (found on hyperflexion_compression, biphasic: the
    // residual fell linearly, 0.93 per iteration, at 0.01 N).
    const double reference =
        c ? std::sqrt(b.head(nf).squaredNorm() +
                      unconstrained_rigid_residual(state, load).squaredNorm() +
                      b.tail(c).squaredNorm())
          : b.norm();
    const double tolerance = model_.biphasic ? reuse_.biphasic_tolerance : reuse_.tolerance;
    const double bound = tolerance * reference;
    if (!(bound > 0.0)) return false;
    GmresSettings settings;
    settings.tolerance = bound / b.norm();
    settings.max_iterations = reuse_.max_iterations;
    Eigen::VectorXd x;
    const SingleBlasThread one_blas_thread;
    const GmresResult gm = gmres(apply, precondition, b, x, settings);
    times_.krylov_iterations += gm.iterations;
    times_.solve += seconds_since(start);
    if (!gm.converged || !x.allFinite()) return false;
    // The GMRES estimate is the true residual only in exact arithmetic: check it (one product).
    Eigen::VectorXd ax;
    apply(x, ax);
    if ((b - ax).norm() > 10 * bound) return false;
    factors_stale_ = gm.iterations > reuse_.stale_after;
    direction = x.head(nf + rp);
    return true;
}

SolveResult System::direct_solve(const State& state, const LoadState& load,
                                 Eigen::VectorXd& direction) {
    SolveResult result;
    auto start = Clock::now();
    factors_valid_ = false;
    // With no free components (every node prescribed or tied to the vertebra) only the 6 x 6
    // system remains.
    if (free_count_ > 0) {
        const auto status = linear_->factorise(matrix_);
        ++times_.factorisations;
        result.used_fallback = status != LinearSolver::Status::ok;
        if (status == LinearSolver::Status::fallback) ++times_.indefinite;
        if (status == LinearSolver::Status::singular) {
            times_.factorisation += seconds_since(start);
            result.ok = false;
            result.message = "the tangent stiffness matrix is singular";
            return result;
        }
        // Valid for the reuse once the rigid body's Schur complement is known to be finite.
        factors_valid_ = !model_.rigid_body;
        factors_stale_ = false;
        factors_fallback_ = result.used_fallback;
    }
    times_.factorisation += seconds_since(start);
    start = Clock::now();
    auto apply_inverse = [&](const Eigen::MatrixXd& rhs) -> Eigen::MatrixXd {
        if (free_count_ == 0) return rhs;
        return linear_->solve(rhs);
    };
    const int rp = model_.rigid_body ? 6 : 0;
    // One solve with the residual and the six coupling columns together (BLAS-3 in CHOLMOD).
    Eigen::MatrixXd rhs_columns(free_count_, 1 + rp);
    rhs_columns.col(0) = residual_free_;
    if (rp) rhs_columns.rightCols(rp) = coupling_;
    const Eigen::MatrixXd solved = apply_inverse(rhs_columns);
    const Eigen::VectorXd y = solved.col(0);
    direction.resize(free_count_ + rp);
    if (rp == 0) {
        direction = -y;
    } else {
        const Eigen::MatrixXd X = solved.rightCols(rp);
        // The bordered system [K_ff K_fr; K_rf K_rr]: its Schur complement K_rr - K_rf K_ff^-1 K_fr.
        const Eigen::MatrixXd& rows = tangent_rigid_rows();
        const Mat6 schur = rp_block_ - rows.transpose() * X;
        if (schur.allFinite() && X.allFinite()) {
            factored_rows_ = rows;
            factored_X_ = X;
            factored_schur_ = schur;
            factors_valid_ = free_count_ > 0;
        }
        if (!schur.allFinite()) {
            times_.solve += seconds_since(start);
            result.ok = false;
            result.message = "the stiffness is not finite (an element is nearly inverted)";
            return result;
        }
        const Vec6 rhs = -rp_residual_ + rows.transpose() * y;
        Eigen::MatrixXd G;
        Eigen::VectorXd g;
        constraint_rows(state, load, G, g);
        const int c = static_cast<int>(G.rows());
        // Scale the constraint rows to the stiffness so the augmented matrix is balanced
        // (unit rows beside stiffness entries of 1e3 N/mm would look singular to the pivoting).
        const double scale = std::max(schur.cwiseAbs().maxCoeff(), 1e-300);
        G *= scale;
        g *= scale;
        Eigen::VectorXd b(6 + c);
        b << rhs, g;
        const Eigen::FullPivLU<Eigen::MatrixXd> lu = bordered_lu(schur, G);
        if (!lu.isInvertible()) {
            times_.solve += seconds_since(start);
            result.ok = false;
            result.message = "the rigid vertebra is not held: its stiffness matrix is singular";
            return result;
        }
        const Eigen::VectorXd solution = lu.solve(b);
        const Vec6 d_r = solution.head<6>();
        direction.head(free_count_) = -y - X * d_r;
        direction.tail<6>() = d_r;
    }
    times_.solve += seconds_since(start);
    return result;
}

void System::update(const State& base, const Eigen::VectorXd& direction, double step,
                    State& out) const {
    out = base;
    for (std::size_t k = 0; k < dof_.size(); ++k) {
        if (dof_[k] >= 0) out.u[k] += step * direction[dof_[k]];
    }
    if (!model_.rigid_body) return;
    out.rp_displacement += step * direction.segment<3>(free_count_);
    out.rp_rotation =
        rotation_from_vector(step * direction.segment<3>(free_count_ + 3)) * base.rp_rotation;
    const Vec3& reference = model_.rigid_body->reference_point;
    for (int n : slave_nodes_) {
        const Vec3& X = model_.mesh->nodes[n];
        out.u.segment<3>(model_.layout.displacement(n, 0)) =
            reference + out.rp_displacement + out.rp_rotation * (X - reference) - X;
    }
}

Vec6 System::unconstrained_rigid_residual(const State& state, const LoadState& load) const {
    Vec6 rp_r = rp_residual_;
    Eigen::MatrixXd G;
    Eigen::VectorXd g;
    constraint_rows(state, load, G, g);
    if (G.rows() > 0) {
        // Remove the reactions: project onto the complement of the constraint rows.
        const Eigen::MatrixXd GGt = G * G.transpose();
        rp_r -= G.transpose() * GGt.ldlt().solve(G * rp_r);
    }
    return rp_r;
}

Eigen::VectorXd System::balance_residual(const State& state, const LoadState& load) const {
    const int rp = model_.rigid_body ? 6 : 0;
    Eigen::VectorXd r(free_count_ + rp);
    r.head(free_count_) = residual_free_;
    if (rp) {
        Vec6 rp_r = unconstrained_rigid_residual(state, load);
        rp_r.tail<3>() /= characteristic_length_;
        r.tail<6>() = rp_r;
    }
    return r;
}

double System::force_scale(const LoadState& load) const {
    const double L = characteristic_length_;
    double applied = 0.0;
    for (const auto& l : loads_)
        applied += l->magnitude(load, L);
    const double carried = rp_internal_.head<3>().norm() + rp_internal_.tail<3>().norm() / L;
    return std::max({applied, carried, reactions_.norm()});
}

double System::constraint_violation(const State& state, const LoadState& load) const {
    if (!model_.rigid_body) return 0.0;
    Eigen::MatrixXd G;
    Eigen::VectorXd g;
    constraint_rows(state, load, G, g);
    return g.size() ? g.cwiseAbs().maxCoeff() : 0.0;
}

double System::directional_work(const State& state, const LoadState& load,
                                const Eigen::VectorXd& direction) const {
    double work = direction.head(free_count_).dot(residual_free_);
    // Reactions of prescribed motions do no work in the balance the line search seeks.
    if (model_.rigid_body)
        work += direction.tail<6>().dot(unconstrained_rigid_residual(state, load));
    return work;
}


std::vector<double> System::boundary_outflow(const State& state, double dt) const {
    std::vector<double> out;
    if (!model_.biphasic) return out;
    const auto& boundaries = model_.biphasic->boundaries;
    out.assign(boundaries.size(), 0.0);
    std::vector<char> counted(model_.mesh->node_count(), 0);
    for (std::size_t b = 0; b < boundaries.size(); ++b) {
        if (boundaries[b].kind != FluidBoundary::Kind::drained) continue;
        for (const int n : boundaries[b].nodes) {
            const int index = model_.layout.index(n, Field::pore_pressure, 0);
            if (counted[n] || dof_[index] >= 0) continue;
            counted[n] = 1;
            out[b] += step_reactions_[index] / dt;
        }
    }
    for (const ConductanceFace& face : conductance_faces_)
        out[face.boundary] += (face.matrix * face_pressures(state, face)).sum();
    return out;
}

std::vector<FluidState> System::fluid_states(const State& state, bool with_flux) const {
    std::vector<FluidState> out;
    if (!model_.biphasic) return out;
    out.resize(model_.mesh->cells.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out.size(), 64),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          ElementVector u;
                          NodalPressures p;
                          for (std::size_t c = range.begin(); c != range.end(); ++c) {
                              gather(state, static_cast<int>(c), u);
                              gather_pressures(state, static_cast<int>(c), p);
                              out[c] = hex8_fluid_state(geometry_[c], model_.biphasic->cells[c], u, p,
                                                        with_flux);
                          }
                      });
    return out;
}

std::vector<ElementStress> System::element_stresses(const State& state) const {
    std::vector<ElementStress> out(model_.mesh->cells.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out.size(), 64),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          ElementVector u;
                          materials::Material damaged;
                          for (std::size_t c = range.begin(); c != range.end(); ++c) {
                              gather(state, static_cast<int>(c), u);
                              hex8_stress(geometry_[c], element_material(static_cast<int>(c), damaged),
                                          model_.biphasic ? VolumetricTreatment::pointwise
                                                          : model_.treatment,
                                          u, out[c]);
                              if (!model_.biphasic) continue;
                              // The mixture's total stress: the solid's minus the interstitial
                              // pressure p + pi (FEBio's "stress" of a biphasic material).
                              NodalPressures p;
                              gather_pressures(state, static_cast<int>(c), p);
                              const FluidState f = hex8_fluid_state(
                                  geometry_[c], model_.biphasic->cells[c], u, p, false);
                              out[c].cauchy -= (f.pressure + f.osmotic_pressure) * Mat3::Identity();
                          }
                      });
    return out;
}

} // namespace discsim::solver
