// The discrete system of a Model: degrees of freedom, the sparsity pattern built once,
// parallel assembly of residual and tangent, and the linear solve.
//
// Degrees of freedom. Each nodal displacement component is free, prescribed, or (for nodes of
// the rigid body) a function of the reference point's six degrees of freedom. The unknowns
// of a Newton iteration are the free components (vector d_f) and the RP increment
// d_r = (du_RP, dtheta), dtheta a spatial rotation increment applied as R <- exp([dtheta]x) R.
// A rigid-body node moves as dx_n = du_RP - [r_n]x dtheta = T_n d_r, r_n = x_n - x_RP.
//
// Linear system
//     [ K_ff  K_fr ] [d_f]   [r_f]
//     [ K_rf  K_rr ] [d_r] = -[r_r]      (plus linear constraints G d_r = g on the RP)
// K_ff is symmetric and assembled into a lower-triangle CSC matrix with a fixed pattern
// (CHOLMOD supernodal Cholesky: symbolic analysis once, numeric factorisation per iteration).
// K_fr (n_f x 6) and K_rr (6 x 6, which holds the non-symmetric terms of finite rotations and
// follower forces) are dense; the RP unknowns are eliminated by a Schur complement with six
// extra solves, so the large factorisation stays symmetric.
//
// Parallel assembly: elements are coloured so that no two elements of a colour share a node;
// the elements of a colour are assembled concurrently with tbb::parallel_for straight into the
// CSC values through a precomputed element-to-CSC scatter map, without locks. The 6x6 RP
// blocks and element energies are kept per cell and summed in cell order, so an assembly (and a
// run) is the same bit for bit whatever the thread count or scheduling.
#pragma once

#include "solver/dof_layout.hpp"
#include "solver/element_history.hpp"
#include "solver/linear_solver.hpp"
#include "solver/loads.hpp"
#include "solver/model.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace discsim::solver {


struct AssemblyResult {
    bool ok = true;          ///< false when an element is inverted
    int inverted_cell = -1;  ///< the first inverted element found
    double energy = 0.0;     ///< stored strain energy of the elements
};

struct SolveResult {
    bool ok = true;
    bool used_fallback = false; ///< CHOLMOD's Cholesky failed (indefinite); MUMPS LDL^T was used
    std::string message;
};

/// Wall time spent in each phase since construction (seconds).
struct PhaseTimes {
    double assembly = 0.0;
    double factorisation = 0.0;
    double solve = 0.0;       ///< the solves with the factors, GMRES included
    int solves = 0;           ///< Newton directions computed
    int factorisations = 0;   ///< numeric factorisations (the rest reused earlier factors)
    int indefinite = 0;       ///< of them, by the indefinite fallback (MUMPS' LDL^T)
    int krylov_iterations = 0; ///< GMRES iterations over all solves, the abandoned ones too
    int assemblies = 0;       ///< residual assemblies, with or without the tangent
    int tangents = 0;         ///< of them, with the tangent
};

/// The LU of the unsymmetric (biphasic u-p) tangent. UMFPACK is safe on any thread. MUMPS
/// factorises and solves it about a quarter faster (docs/performance.md, "the biphasic
/// Newton"), but Debian's sequential MUMPS is not thread-safe: every call takes one process-wide
/// lock, so cases solved at once on the threads of one process would wait on each other.
///
/// mumps_single: MUMPS' LU in single precision as GMRES' preconditioner, with every solve
/// finished by GMRES on the double-precision tangent (so the Newton directions are those of
/// the double LU to the GMRES tolerance). Measured on the medium traction session: the same
/// GMRES iterations as the double LU, its solves and factorisations about a third shorter,
/// peak memory 116 MB against 159 MB (docs/performance.md). Without factorisation reuse (full
/// Newton with direct solves) it is the double LU.
enum class UnsymmetricSolver { umfpack, mumps, mumps_single };

/// How System::solve uses its factorisation (docs/performance.md, "Factorise less").
struct FactorisationReuse {
    /// Reuse the last factorisation as the preconditioner of GMRES on the current tangent, and
    /// refactorise only when GMRES does not reach its tolerance fast enough. false: a new
    /// factorisation every Newton iteration (full Newton with direct solves).
    bool enabled = true;
    /// GMRES stops at |b - A x| <= tolerance x |out of balance|, the out-of-balance being b
    /// with the reactions of prescribed motions taken out (they can dwarf it). 1e-10: tight
    /// enough that the Newton iterates are those of the direct solve to within round-off of
    /// the converged state (Newton stays quadratic).
    double tolerance = 1e-10;
    /// The same for the biphasic (u-p) system: an inexact Newton (Dembo, Eisenstat and
    /// Steihaug 1982) forcing term of 1e-6 keeps the convergence rate of the direct solve to
    /// the Newton tolerance and saves half the factorisations of a creep or traction history
    /// (docs/performance.md, "Factorise less").
    double biphasic_tolerance = 1e-6;
    int max_iterations = 30;
    /// A solve that took more GMRES iterations than this refactorises at the next solve.
    int stale_after = 12;
};

class System {
public:
    /// Precomputes element geometry, the DOF map, colouring, pattern and scatter map.
    /// Throws InputError when a reference element is degenerate or the model is inconsistent.
    explicit System(const Model& model);
    ~System();
    System(const System&) = delete;
    System& operator=(const System&) = delete;

    const Model& model() const { return model_; }
    int free_dof_count() const { return free_count_; }
    bool has_rigid_body() const { return model_.rigid_body.has_value(); }
    int colour_count() const { return static_cast<int>(colours_.size()); }
    std::size_t nonzeros() const { return static_cast<std::size_t>(matrix_.nonZeros()); }

    /// A state at rest (zero displacement, identity rotation).
    State initial_state() const;
    /// Writes prescribed nodal values and rigid-body node positions implied by the RP pose into
    /// `state` (call after changing loads or the RP pose).
    void apply_constraints(State& state, const LoadState& load) const;

    /// Residual r = f_int - f_ext (and the tangent when `tangent`) at `state`.
    AssemblyResult assemble(const State& state, const LoadState& load, bool tangent);
    /// The same, with the tangent of the mean-dilatation elements taken at their dilatation
    /// linearised from `base` (hex8_evaluate's tangent_dilatation): theta(base) +
    /// dtheta/du(base) . (u - u_base). Newton passes the iterate its step started from.
    AssemblyResult assemble(const State& state, const LoadState& load, bool tangent,
                            const State* base);

    /// Solves the tangent system for the Newton direction -K^-1 r with the RP constraints of
    /// `load` at `state`. `direction` holds d_f followed by d_r (6 entries if a rigid body).
    SolveResult solve(const State& state, const LoadState& load, Eigen::VectorXd& direction);
    /// Whether Newton (solve_increment) assembles with the linearised dilatation of the
    /// mean-dilatation elements (assemble's `base`); default on.
    void set_linearised_tangent(bool on) { linearised_tangent_ = on; }
    bool linearised_tangent() const { return linearised_tangent_; }
    /// Whether assemble's tangent depends on its `base` (the mean-dilatation elements of the
    /// elastic disc with the linearised tangent); when not, the tangent at a state is the same
    /// whichever iterate led to it, so Newton may form it only when it solves.
    bool tangent_depends_on_base() const { return linearised_tangent_ && has_dilatation_base(); }
    /// How solve() factorises (default: reuse with GMRES).
    void set_factorisation_reuse(const FactorisationReuse& reuse);
    /// Which LU factorises an unsymmetric (biphasic) tangent (default UMFPACK); no effect on a
    /// symmetric one. Drops any factorisation held.
    void set_unsymmetric_solver(UnsymmetricSolver solver);
    /// The factorisation of the tangent, e.g. "CHOLMOD LL^T".
    std::string_view linear_solver_name() const { return linear_->name(); }
    const FactorisationReuse& factorisation_reuse() const { return reuse_; }

    /// base + step * direction, with the rotation applied multiplicatively.
    void update(const State& base, const Eigen::VectorXd& direction, double step,
                State& out) const;

    /// Residual vector in the layout of `direction` (RP moment rows divided by the
    /// characteristic length so that every entry is a force), with the components that are
    /// constrained at the RP removed (their reactions are not out of balance).
    Eigen::VectorXd balance_residual(const State& state, const LoadState& load) const;
    /// Magnitude of the forces carried after assemble() (N): the larger of the applied loads
    /// and the reactions at the supports and the RP (moments divided by the characteristic
    /// length). The reference of the Newton residual criterion.
    double force_scale(const LoadState& load) const;
    /// Largest violation of the prescribed RP translations (mm) and rotation-vector components
    /// (rad) at `state`. The constraints enter the Newton solve linearised, so a converged
    /// increment must also have driven this to zero.
    double constraint_violation(const State& state, const LoadState& load) const;
    /// direction . residual (N mm), without the reactions of prescribed RP motions: the
    /// quantity the line search drives to zero.
    double directional_work(const State& state, const LoadState& load,
                            const Eigen::VectorXd& direction) const;

    /// After assemble(): the resultant of the internal nodal forces of the vertebra's nodes
    /// about the RP (N, N mm); at equilibrium it equals the load applied to the vertebra (with
    /// prescribed motions: the load needed to impose them).
    Vec6 rp_internal_resultant() const { return rp_internal_; }
    /// Characteristic length (mm) used to compare moments with forces.
    double characteristic_length() const { return characteristic_length_; }

    /// Internal nodal forces at the prescribed components after assemble() (in the layout of
    /// State::u, zero elsewhere): the support reactions, N.
    const Eigen::VectorXd& reactions() const { return reactions_; }

    /// The per-element history (solver/element_history.hpp). Assembly and element_stresses
    /// read the trial records: an element with damage d > 0 is evaluated with
    /// damaged_material(intact, d, damage_residual()) (solver/rupture.hpp).
    HistoryStore& history() { return history_; }
    /// An increment was accepted at `state`: commits the element history and makes `state` the
    /// start of the next time step (the u_n, p_n of a biphasic model).
    void commit(const State& state);
    const HistoryStore& history() const { return history_; }
    /// The stiffness fraction a fully damaged element keeps (rupture's residual_stiffness).
    void set_damage_residual(double residual);
    double damage_residual() const { return damage_residual_; }

    /// After commit(state) of an increment of time step dt > 0: the fluid that left through each
    /// of the biphasic model's boundaries over it (BiphasicModel::boundaries, in order), as a
    /// mean rate in mm^3/s, positive out. Drained boundaries: their nodes' mass-balance
    /// reactions of the last assembly before the commit (at the accepted state), divided by dt
    /// (a node on two drained surfaces counts for the first); conductance boundaries: c p at
    /// `state` integrated over their faces (backward Euler; at a node that is also drained the
    /// reaction is what leaves besides the conductance flux). The
    /// outflow summed over the boundaries times dt is the disc's volume loss over the step.
    /// Empty without a biphasic model.
    std::vector<double> boundary_outflow(const State& state, double dt) const;

    /// The fluid state of every element at `state` (solver/hex8_biphasic.hpp), the flux only
    /// `with_flux`; empty without a biphasic model.
    std::vector<FluidState> fluid_states(const State& state, bool with_flux = true) const;

    /// The layout of the nodal values of a State (solver/dof_layout.hpp): the model's.
    const DofLayout& layout() const { return model_.layout; }

    /// Per-element Cauchy stress and dilatation at `state` (for output); of a biphasic model the
    /// total stress of the mixture, sigma_e - (p + pi) I at the element centre.
    std::vector<ElementStress> element_stresses(const State& state) const;

    const PhaseTimes& times() const { return times_; }

    /// What the increments change in a System, kept to go back to: the element history, the
    /// start of the time step, the reactions, the phase times and the factorisation that the
    /// next solves reuse (copied bit for bit by the linear solver). A run that shares its
    /// leading steps with others keeps one where they part and restores it before each of
    /// them goes on (scenarios/run.hpp, SharedRun), so that each goes on exactly as if alone.
    struct Snapshot {
        HistoryStore history;
        State previous;
        Eigen::VectorXd reactions, step_reactions;
        PhaseTimes times;
        bool factors_valid = false, factors_stale = false, factors_fallback = false;
        Eigen::MatrixXd factored_rows, factored_X;
        Mat6 factored_schur = Mat6::Zero();
        std::shared_ptr<const LinearSolver::FactorCopy> factors;
    };
    /// The snapshot of now; nothing when the factorisation held cannot be copied (MUMPS').
    std::optional<Snapshot> snapshot() const;
    /// Back to `snapshot` (of this System). The arrays of the last assembly are not restored:
    /// every solve starts by assembling.
    void restore(const Snapshot& snapshot);

    /// K_ff after assemble(..., true): lower triangle of the free-free tangent, or the whole of
    /// it when it is unsymmetric (symmetric_tangent()).
    const Eigen::SparseMatrix<double>& tangent_free() const { return matrix_; }
    /// r_f after assemble(): the residual of the free components.
    const Eigen::VectorXd& residual_free() const { return residual_free_; }
    /// K_fr, K_rr and r_r after assemble(): the rigid-body blocks (zero without a rigid body).
    const Eigen::MatrixXd& tangent_coupling() const { return coupling_; }
    /// K_rf^T after assemble(..., true): the vertebra's rows of the tangent, transposed
    /// (free x 6). K_fr itself when the tangent is symmetric; the biphasic one is not (its
    /// mass balance's Darcy terms depend on the motion, the solid's balance on p only through
    /// p J F^-T), and K_fr^T in its place cost Newton its quadratic rate.
    const Eigen::MatrixXd& tangent_rigid_rows() const {
        return linear_->symmetric() ? coupling_ : coupling_rows_;
    }
    /// Whether the free-free tangent is symmetric, stored as its lower triangle (tangent_free).
    bool symmetric_tangent() const { return linear_->symmetric(); }
    const Mat6& tangent_rigid() const { return rp_block_; }
    const Vec6& residual_rigid() const { return rp_residual_; }

private:
    /// Whether assemble's tangent can be taken at a dilatation linearised from a base: the
    /// mean-dilatation elements of the elastic disc.
    bool has_dilatation_base() const {
        return !model_.biphasic && model_.treatment == VolumetricTreatment::mean_dilatation;
    }
    // Conductance faces of the biphasic boundaries: the cell, its local nodes and c times the
    // face's consistent mass matrix (integral of c N_a N_b over the reference face).
    struct ConductanceFace {
        int boundary = 0;
        int cell = 0;
        std::array<int, 4> local{};
        Eigen::Matrix4d matrix = Eigen::Matrix4d::Zero();
    };
    void gather(const State& state, int cell, ElementVector& u) const;
    void gather_pressures(const State& state, int cell, NodalPressures& p) const;
    /// The pore pressures of a conductance face's four nodes.
    Eigen::Vector4d face_pressures(const State& state, const ConductanceFace& face) const;
    /// The element's material and fibres with its trial history applied; `storage` holds a
    /// damaged material when one is needed.
    ElementMaterial element_material(int cell, materials::Material& storage) const;
    Vec6 unconstrained_rigid_residual(const State& state, const LoadState& load) const;
    void constraint_rows(const State& state, const LoadState& load, Eigen::MatrixXd& G,
                         Eigen::VectorXd& g) const;

    const Model& model_;
    std::vector<Hex8Geometry> geometry_;
    std::vector<ElementMaterial> element_materials_;
    HistoryStore history_;
    double damage_residual_ = 0.01;
    // DOF map: for each nodal value (model_.layout), >= 0 free equation, -1 prescribed or held
    // (a field no element assembles), -2 - k slave of rigid-body node index k.
    std::vector<int> dof_;
    int free_count_ = 0;
    std::vector<int> slave_nodes_;
    std::vector<std::vector<int>> colours_;
    static constexpr int max_element_dofs = 32;
    int assembled_per_node_ = 3; // values per node an element assembles: 3, or 4 (biphasic)
    int element_dofs_ = 24;      // 8 x assembled_per_node_
    std::vector<int> scatter_;   // per cell, element (i, j) -> CSC value index or -1
    std::vector<ConductanceFace> conductance_faces_;
    State previous_;             // the accepted state: the start of the time step
    std::vector<int> rp_slot_;                  // cell -> index into rp_blocks_, or -1
    std::vector<Mat6> rp_blocks_;               // per cell on the rigid body, summed in order
    std::vector<double> element_energy_;        // per cell, summed in order
    Eigen::SparseMatrix<double> matrix_;        // K_ff, lower triangle
    Eigen::VectorXd residual_free_;
    Eigen::MatrixXd coupling_; // K_fr
    Eigen::MatrixXd coupling_rows_; // K_rf^T, assembled only for an unsymmetric tangent
    Mat6 rp_block_ = Mat6::Zero();
    Vec6 rp_residual_ = Vec6::Zero();
    Vec6 rp_internal_ = Vec6::Zero();
    std::vector<Vec3> slave_forces_;
    Eigen::VectorXd reactions_;
    Eigen::VectorXd step_reactions_; // reactions_ when the last increment was committed
    double characteristic_length_ = 1.0;
    LoadList loads_; // the model's loads (solver/loads.hpp), assembled in order

    // The direct solve: factorise the current tangent, keep what the reuse needs, solve.
    SolveResult direct_solve(const State& state, const LoadState& load, Eigen::VectorXd& direction);
    // GMRES on the current bordered tangent, preconditioned by the kept factorisation; false
    // when it did not reach the tolerance (direction untouched).
    bool krylov_solve(const State& state, const LoadState& load, Eigen::VectorXd& direction);

    std::unique_ptr<LinearSolver> linear_;
    PhaseTimes times_;
    FactorisationReuse reuse_;
    UnsymmetricSolver unsymmetric_ = UnsymmetricSolver::umfpack;
    bool linearised_tangent_ = true;
    // The factorised tangent's K_rf^T, K_ff^-1 K_fr and Schur complement (valid when
    // factors_valid_), for the preconditioner of krylov_solve.
    bool factors_valid_ = false;
    bool factors_stale_ = false;
    bool factors_fallback_ = false;
    Eigen::MatrixXd factored_rows_, factored_X_;
    Mat6 factored_schur_ = Mat6::Zero();
};

} // namespace discsim::solver
