"""Exact solve of the maximal covering location problem (geo.connectivity.plan) with HiGHS.

The MIP: max Σ w_g y_g subject to y_g ≤ Σ_{i∈N(g)} x_i for every demand group g,
Σ x_i ≤ k, x binary, 0 ≤ y ≤ 1 — built column-wise from the sparse coverage matrix (no
Python loop over pairs) and passed to ``highspy`` with a time limit, ``mip_rel_gap = 0``
and the greedy plan as the starting solution. ``status`` is ``"optimal"`` only when HiGHS
proved it; after the time limit it is ``"time_limit"`` and ``gap`` is the proven relative
gap to the dual bound (None while HiGHS has no bound).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from geo.connectivity.coverage import Problem


@dataclass
class ExactResult:
    chosen: list[int]           # candidate positions (unordered)
    status: str                 # "optimal", "time_limit", or the HiGHS status text
    gap: float | None           # proven relative gap (0 when optimal)
    objective: float
    bound: float | None
    seconds: float


def exact(problem: Problem, k: int, time_limit: float = 60.0,
          start: list[int] | None = None, threads: int | None = None) -> ExactResult:
    """Solve the reduced MCLP with HiGHS: max Σ w_g y_g, y_g ≤ Σ_{i∈N(g)} x_i, Σ x_i ≤ k,
    x binary, 0 ≤ y ≤ 1. ``start`` (candidate positions, e.g. the greedy plan) is passed
    as the starting solution."""
    import highspy
    t0 = time.perf_counter()
    m = problem.matrix.tocsc()          # column g: the candidates covering group g
    n_c, n_g = m.shape
    if n_c == 0 or n_g == 0 or k <= 0:
        return ExactResult([], "optimal", 0.0, 0.0, 0.0, 0.0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("random_seed", 0)
    if threads:
        h.setOptionValue("threads", int(threads))
    inf = highspy.kHighsInf
    n = n_c + n_g
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, n_g + 1
    lp.col_cost_ = np.concatenate([np.zeros(n_c), -problem.group_weight])
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.concatenate([np.full(n_g, -inf), [-inf]])
    lp.row_upper_ = np.concatenate([np.zeros(n_g), [float(k)]])
    # Row-wise: row g = y_g − Σ x_i ≤ 0; last row = Σ x_i ≤ k.
    rows_g = sparse.hstack([-m.T.tocsr().astype(float), sparse.identity(n_g, format="csr")],
                           format="csr")
    last = sparse.csr_matrix(np.concatenate([np.ones(n_c), np.zeros(n_g)])[None, :])
    a = sparse.vstack([rows_g, last], format="csc")
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_c + \
        [highspy.HighsVarType.kContinuous] * n_g
    h.passModel(lp)
    if start:
        pos = np.full(len(problem.candidates), -1, np.int64)
        pos[problem.useful] = np.arange(n_c)
        x = np.zeros(n_c)
        x[[pos[s] for s in start if pos[s] >= 0]] = 1.0
        y = np.minimum(1.0, np.asarray(m.T @ x).ravel())
        sol = highspy.HighsSolution()
        sol.col_value = list(np.concatenate([x, y]))
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    x = np.asarray(h.getSolution().col_value[:n_c])
    chosen = [int(problem.useful[i]) for i in np.flatnonzero(x > 0.5)]
    objective = float(problem.group_weight @ np.minimum(
        1.0, np.asarray(m.T @ (x > 0.5).astype(float)).ravel()))
    bound = -float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    if status == highspy.HighsModelStatus.kOptimal:
        text, gap = "optimal", 0.0
    elif status == highspy.HighsModelStatus.kTimeLimit:
        text = "time_limit"
        gap = (max(0.0, bound - objective) / bound) if bound else None
    else:
        text = h.modelStatusToString(status)
        gap = (max(0.0, bound - objective) / bound) if bound else None
    return ExactResult(chosen, text, gap, objective, bound, time.perf_counter() - t0)
