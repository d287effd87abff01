// Package connectivity computes static functional connectivity (FC) from
// calcium traces: the Pearson correlation matrix, lagged (cross-)
// correlations with the lag of their peak, and partial correlations from the
// precision matrix, optionally ridge-regularized.
//
// # Notation and orientation
//
// The notation and orientation are those of package neurotab (see "Matrix
// orientation" in [github.com/neurotab/neurotab]). T samples (time bins), N
// neurons. A trace matrix X is T × N: rows are time, columns are neurons, as
// table.Recording.Data is. FC matrices are N × N: symmetric for pearson and
// partial_correlation; the peak-lag matrix is C[source][target], positive
// when the row neuron leads. x_i is column i and x_i(t)
// its sample t. Lags L are whole samples; a positive L pairs x_i(t) with
// x_j(t+L), so a peak at L > 0 means neuron i leads neuron j by L samples.
// Multiply by the sampling interval (table.MedianDt of the recording's Time,
// 0.333 s for homogenized traces) for seconds. Correlations are
// dimensionless, in [−1, 1].
//
// # Measures
//
//	pearson               r_ij = cov(x_i, x_j) / (σ_i σ_j)
//	lagged_pearson        r_ij(L) = corr(x_i(t), x_j(t+L)) over the T−|L| overlapping samples,
//	                      and the r_ij(L*) with L* = argmax_{|L| ≤ MaxLag} |r_ij(L)|
//	partial_correlation   ρ_ij = −P_ij / sqrt(P_ii P_jj),  P = (R + λI)⁻¹
//
// R is the Pearson matrix, the covariance of the z-scored traces, so the
// ridge λ is in units of each trace's own variance whatever the traces'
// scale; with λ = 0, P is Σ⁻¹ up to a diagonal scaling that ρ cancels.
// See Pearson, LaggedCorrelation and PartialCorrelation for the details and
// references.
//
// # Undefined values
//
// A trace whose samples are all equal has no correlation with anything: its
// row and column are NaN, for every measure (partial correlations are then
// computed among the other neurons, which is the same as conditioning on
// the constant). Nothing panics on data; NaN or ±Inf in the input, too few
// samples, and a singular covariance are errors (a *NonFiniteError wrapping
// neurotab.ErrNotFinite, neurotab.ErrShape, a *SingularError wrapping
// neurotab.ErrSingular); an invalid setting wraps neurotab.ErrParam.
//
// # Estimator and results
//
// Pearson, LaggedCorrelation and PartialCorrelation are functions of a
// matrix. Estimator wraps them in the estimator shape of package neurotab
// (see "Estimators" there): its exported fields are the configuration (the
// zero value computes Pearson correlations), Fit(X) keeps the result,
// MatrixTo, PeakLagTo and LagTo extract it, and Parameters gives the
// configuration for provenance.
//
// Estimators know matrices, not tables: FitRecording and RecordingWindow
// are the one adapter, where a table.Recording meets an Estimator (both in
// recording.go, nothing else here reads a recording). FitRecording fits
// rec.Data and
// names the recording and neurons in errors; RecordingWindow gives the key
// (source_dataset, worm, window, t_start, t_end) that AppendFC writes with
// each row of the canonical fc table. Rows whose value is NaN are left out,
// as the table's value column is required. FCRecord returns an Arrow record
// the caller releases; AppendFC appends to a table.RowBuilder its caller
// owns and releases. Nothing else here holds Arrow memory.
//
// # Cost
//
// Pearson is one symmetric rank-k update (gonum BLAS): ~T N² flops and T N +
// N² floats of memory. LaggedCorrelation does one (N×T)·(T×N) product per lag
// in 0…MaxLag (negative lags are transposes) and keeps every lag's matrix:
// (MaxLag+1) N² floats. PartialCorrelation adds a Cholesky factorization and
// inverse, ~N³ flops.
package connectivity
