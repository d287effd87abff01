// Package significance tests functional-connectivity edges against
// surrogate data and controls the false discovery rate over them.
//
// # Notation and orientation
//
// The notation and orientation are those of package neurotab (see "Matrix
// orientation" in [github.com/neurotab/neurotab]): a trace matrix X is
// T × N, rows are time, columns are neurons; a statistic of X is an N × N
// matrix C[i][j] (C[source][target] for a directed one), and so is its
// matrix of p-values. S is the number of surrogates.
//
// # Surrogates
//
// A surrogate is a copy of X that keeps what the null hypothesis allows and
// destroys the rest. Both kinds here keep each trace's autocorrelation and
// destroy the coupling between traces, so they test "the neurons are
// independent" without mistaking slow traces for coupled ones:
//
//	CircularShift   x̃_n(t) = x_n((t + τ_n) mod T), τ_n uniform in {0 … T−1}, independent per column
//	PhaseRandomize  x̃_n = F⁻¹[ |F x_n|(f) e^{i(arg F x_n(f) + φ_n(f))} ], φ_n(f) uniform in [0, 2π)
//
// Phase randomization keeps each column's power spectrum exactly (Theiler et
// al. 1992, doi:10.1016/0167-2789(92)90102-S); with phases independent per
// column it tests independence, with phases shared across columns (Prichard
// & Theiler 1994, doi:10.1103/PhysRevLett.73.951) it keeps the
// cross-spectra too, i.e. every linear correlation, and tests nonlinearity
// instead.
//
// # Tests and p-values
//
// Test is an estimator in the shape of package neurotab (see "Estimators"
// there): Surrogates, Method and Seed configure it, Fit(X, statistic)
// computes the statistic of X and of S surrogates, and PValuesTo extracts
//
//	p_ij = (1 + #{s : |C̃ˢ_ij| ≥ |C_ij|}) / (1 + S)
//
// (the +1s count X among its own surrogates, so a p-value is never 0:
// Phipson & Smyth 2010, doi:10.2202/1544-6115.1585). Surrogate s draws from Seed's stream s, so
// the same seed gives the same p-values.
//
// # False discovery rate
//
// BenjaminiHochberg adjusts the N(N−1)/2 edge p-values (UpperTriangle
// collects them) into q-values, and Reject marks the edges kept at a level
// α: in expectation at most a fraction α of them are false when the
// p-values are independent or positively dependent (Benjamini & Hochberg
// 1995, doi:10.1111/j.2517-6161.1995.tb02031.x; Benjamini & Yekutieli
// 2001, doi:10.1214/aos/1013699998).
//
// # Errors
//
// NaN or ±Inf in X or in the p-values wraps neurotab.ErrNotFinite; a
// p-value outside [0, 1] neurotab.ErrOutOfRange; a statistic whose shape
// changes between calls neurotab.ErrShape; a bad configuration or level
// neurotab.ErrParam. Messages start with "significance:".
//
// # Cost
//
// Fit calls the statistic S + 1 times; the surrogates themselves cost
// O(T N) (shift) or O(T log T · N) (phase) each, usually far less than the
// statistic. BenjaminiHochberg sorts: O(m log m).
package significance
