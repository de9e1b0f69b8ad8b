/*
 * Private declarations shared between lib/ modules and the tests.
 * Never installed.
 */
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nn/matrix.h"
#include "nn/fit.h"
#include "nn/net.h"
#include "nn/optim.h"
#include "nn/train.h"

/*
 * error.c: record the detail of an error for nn_last_error() and return
 * its code: `return nn__errorf(NN_ESHAPE, "X has %zu rows, ...", ...);`.
 * Public functions that can record a detail call nn__clear_error() on
 * entry, so that a failure without one never shows a stale detail.
 */
int nn__errorf(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void nn__clear_error(void);

/* 0 when m has data, non-zero sizes and ld >= rows; else NN_ENULL or NN_ESHAPE. */
int nn__matrix_valid(const nn_matrix *m);

/* net.c: one layer of the sequence, its shapes resolved. */
typedef struct nn__layer {
	nn_layer_type type;
	nn_activation act;      /* NN_ACT_IDENTITY for layers without one */
	nn_shape in, out;       /* one sample's shape before and after the layer */
	size_t k, stride;       /* CONV2D, pools: window side and stride */
	size_t pad_top, pad_left; /* CONV2D: zeros before the first row and column */
	nn_padding padding;     /* CONV2D, as given */
	double rate;            /* DROPOUT */
	size_t n_w, n_b;        /* parameters: W (units x inputs, or C_out x k*k*C_in), b */
} nn__layer;

/* net.c: the layers and the layout of the parameter buffer. */
struct nn_net {
	size_t n_layers;      /* L */
	nn__layer *layer;     /* layer[l - 1] is layer l */
	size_t *sizes;        /* L + 1 widths: sizes[0] the input's, sizes[l] layer l's output C*H*W */
	nn_activation *acts;  /* acts[l - 1] is layer l's activation */
	nn_cost cost;
	size_t *offset;       /* offset[l - 1]: where W_l starts in params; b_l follows it */
	size_t n_params;
	void *params;         /* n_params doubles, or floats when f32 */
	int f32;              /* the network computes in float32 (nn_net_set_precision) */
	int dense;            /* every layer is dense (the lecture's networks) */
	nn_task task;         /* what the outputs mean, once trained */
	nn_scaling scaling;   /* the input scaling: x' = (x - shift) * scale per feature */
	double *shift, *scale; /* sizes[0] each; NULL without a scaling */
	size_t n_names[NN_NAMES_COUNT_];
	char **names[NN_NAMES_COUNT_];
};

/* Bytes of one value of net's precision. */
static inline size_t nn__elem(const nn_net *net)
{
	return net->f32 ? sizeof(float) : sizeof(double);
}

/* The first layer cannot read X as it is: the network scales its input or
 * computes in float32. */
static inline int nn__needs_input_copy(const nn_net *net)
{
	return net->f32 || net->scaling != NN_SCALING_NONE;
}

/* Columns j0 .. j0 + nb - 1 of X as the first layer reads them -- scaled as
 * net scales its inputs, in its precision -- into dst (sizes[0] x nb, ld
 * ld_dst, of net's type). */
void nn__input_copy(void *dst, size_t ld_dst, const nn_net *net, const nn_matrix *X, size_t j0,
		    size_t nb);

/* The same with the parts spelt out: in float32 when f32, scaled by
 * x' = (x - shift) * scale when shift is not NULL. */
void nn__copy_columns(void *dst, size_t ld_dst, int f32, const double *shift,
		      const double *scale, const nn_matrix *X, size_t j0, size_t nb);

/* The network of `layers` on inputs of shape `in`, its parameters zero (not
 * initialised): nn_net_new_layers() without the initialisation. */
int nn__net_build(nn_net **out, nn_shape in, size_t n, const nn_layer *layers);

/* The parameter count of that network, without allocating it: 0, or the
 * error nn__net_build would give for a sequence that is not a network. */
int nn__net_count(size_t *n_params, nn_shape in, size_t n, const nn_layer *layers);

/* Copy src's task, scaling and names into dst (of the same input width). */
int nn__net_copy_meta(nn_net *dst, const nn_net *src);

/* W_l and b_l of a float64 network, 1 <= l <= L, without checks. */
static inline double *nn__w(const nn_net *net, size_t l)
{
	return (double *)net->params + net->offset[l - 1];
}

static inline double *nn__b(const nn_net *net, size_t l)
{
	return (double *)net->params + net->offset[l - 1] + net->layer[l - 1].n_w;
}

static inline size_t nn__shape_size(nn_shape s)
{
	return s.channels * s.height * s.width;
}

/* 0 when a and b have the same layer sizes, else NN_ESHAPE. */
int nn__net_same_shape(const nn_net *a, const nn_net *b);

/*
 * A gradient buffer for net: n_params values of net's precision laid out as
 * the parameters (dW_1 db_1 dW_2 db_2 ...), then `extra` more slots.
 * Zeroed; free with free(). NULL when out of memory.
 */
void *nn__grad_new(const nn_net *net, size_t extra);

/* dW_l and db_l in a float64 gradient buffer of net's layout. */
static inline double *nn__gw(double *grad, const nn_net *net, size_t l)
{
	return grad + net->offset[l - 1];
}

static inline double *nn__gb(double *grad, const nn_net *net, size_t l)
{
	return grad + net->offset[l - 1] + net->layer[l - 1].n_w;
}

/* cpu.c: what this machine runs. */

/* The kernel families, each a superset of the one before: the portable C
 * loops, AVX2 with FMA, AVX-512 (F, DQ, VL, BW) (x86-64). */
enum { NN__SIMD_NONE = 0, NN__SIMD_AVX2 = 1, NN__SIMD_AVX512 = 2, NN__SIMD_COUNT_ };

/* The best family this CPU supports and this build holds (checked once,
 * at the first call), or the lower one the environment's NN_SIMD asks for
 * ("none", "avx2", "avx512"; anything else is ignored). */
int nn__cpu_simd(void);

/* "none", "avx2", "avx512". */
const char *nn__simd_name(int simd);

/* Threads the BLAS runs a product on (OpenBLAS's own count when it is the
 * BLAS), at least 1 and at most the online processors. */
size_t nn__blas_threads(void);

/* pool.c: a fork-join pool of threads that sleep between jobs. */
typedef struct nn__pool nn__pool;

/* A pool running jobs on n threads: the caller and n - 1 workers. */
int nn__pool_new(nn__pool **pool, size_t n);
void nn__pool_free(nn__pool *pool);
size_t nn__pool_threads(const nn__pool *pool);

/* fn(arg, i, n) for i = 0..n-1 at once, i = 0 on the calling thread; returns
 * when every call has. A NULL pool runs fn(arg, 0, 1). */
void nn__pool_run(nn__pool *pool, void (*fn)(void *arg, size_t i, size_t n), void *arg);

/*
 * The functions of the files compiled once for each precision (real.h)
 * come in pairs, _f64 and _f32, declared here side by side.
 */

/* activation.c. `simd` (NN__SIMD_...) picks the kernels: with AVX2 the
 * float64 sigmoid passes run 4 lanes at a time through glibc's vector exp. */

/*
 * A[:, j] = act(A[:, j] + b) for every column: the bias and the activation
 * in one pass over the gemm's output.  A is rows x cols with leading
 * dimension ld; elementwise activations only (a hidden layer). With a
 * mask (same shape), A is then multiplied by it: inverted dropout.
 */
void nn__act_forward_f64(int simd, nn_activation act, double *A, size_t rows, size_t cols,
			 size_t ld, const double *b, const double *mask);
void nn__act_forward_f32(int simd, nn_activation act, float *A, size_t rows, size_t cols,
			 size_t ld, const float *b, const float *mask);

/*
 * The output layer: Z += b (kept, for the cross-entropies), A = act(Z),
 * softmax included. Both rows x cols with ld = rows.
 */
void nn__act_forward_output_f64(int simd, nn_activation act, double *A, double *Z, size_t rows,
				size_t cols, const double *b);
void nn__act_forward_output_f32(int simd, nn_activation act, float *A, float *Z, size_t rows,
				size_t cols, const float *b);

/*
 * D = D o act'(Z), where act' is written through the activation's output A
 * (sigmoid: a (1 - a)); db = row sums of the result (overwritten).
 * One pass over D and A. With a dropout mask, A holds act(Z) o mask.
 */
void nn__act_backward_f64(int simd, nn_activation act, double *D, const double *A, size_t rows,
			  size_t cols, size_t ld, double *db, const double *mask);
void nn__act_backward_f32(int simd, nn_activation act, float *D, const float *A, size_t rows,
			  size_t cols, size_t ld, float *db, const float *mask);

/* act'(z) written through a = act(z). */
double nn__act_deriv_from_output(nn_activation act, double a);

/* act(z) for one value (the naive reference's path). */
double nn__act_scalar(nn_activation act, double z);

/* workspace.c */

struct nn_workspace {
	size_t n_layers;
	size_t max_batch;
	int simd;        /* NN__SIMD_...: the kernels of the elementwise passes (nn__cpu_simd()) */
	int deltas;      /* D[] allocated: the workspace serves backward passes too */
	size_t *sizes;   /* L + 1 widths, a copy of the network's */
	int f32;         /* its buffers are float32: made for a float32 network */
	/* every buffer below holds values of the network's precision but t */
	void **A;        /* A[l], 1 <= l <= L: layer l's output, sizes[l] x max_batch, ld
			    sizes[l]; NULL for a flatten layer (and, without deltas, a
			    dropout layer): they alias their input */
	void **D;        /* D[l]: the deltas, same shapes as A[l]; NULL without deltas */
	const void **out; /* out[l], 0 <= l <= L: layer l's output in the last forward
			     pass (out[0] = X), A[l] or an alias of out[l - 1] */
	size_t *ld;      /* ld[l]: its leading dimension */
	void **dout;     /* dout[l]: where the delta of out[l] goes, D[l] or an alias */
	void *Z;         /* Z_L = W_L A_{L-1} + b_L: sizes[L] x max_batch */
	double *t;       /* sizes[L] doubles: the output pass's one-hot target */
	void *xin;       /* sizes[0] x max_batch: the input as the first layer reads it,
			    when the network scales it or computes in float32 */
	void **col;      /* col[l]: a convolution's im2col buffer, K x (Ho*Wo*chunk[l]) */
	size_t *chunk;   /* chunk[l]: samples per im2col pass */
	uint32_t **idx;  /* idx[l]: a max-pool layer's argmax, sizes[l] x max_batch */
	void *buf;       /* one allocation behind every A, D, col, Z, t and xin */
	uint32_t *idx_buf;
	size_t batch;    /* columns of the last forward pass */
};

/* The bound of each convolution's im2col buffer: a batch that does not fit
 * is processed in chunks of samples. */
#define NN__COL_BYTES ((size_t)64 << 20)

/* nn_workspace_new without argument checks; deltas = 0: forward passes only
 * (no D, and inference needs no dropout buffers). */
int nn__workspace_new(nn_workspace **ws, const nn_net *net, size_t max_batch, int deltas);

/* 0 when ws fits net's sizes, else NN_ESHAPE. */
int nn__workspace_fits(const nn_workspace *ws, const nn_net *net);

/* 0 when every label is a class of an output layer of width k (k == 1: 0 or 1). */
int nn__check_labels(const nn_labels *y, size_t k);

/*
 * A training set for net: X valid (sizes within INT_MAX), sizes[0] rows,
 * finite, and exactly one target per column: labels y (classes of the
 * output layer) or values Y (nn__check_values). With allow_empty, a shard
 * of 0 columns (data may be NULL) passes too.
 */
int nn__check_data(const nn_net *net, const nn_matrix *X, const nn_labels *y, const nn_matrix *Y,
		   int allow_empty);

/* Y holds n finite target columns for net's output layer, in [0, 1] for
 * the cross-entropies and distributions for NN_COST_CE. */
int nn__check_values(const nn_net *net, const nn_matrix *Y, size_t n);

typedef struct nn_sparse nn_sparse;

/*
 * forward.c: THE forward pass, A_l = act_l(W_l A_{l-1} + b_l) for l = 1..L,
 * without argument checks, on x: N columns of the input as the first layer
 * reads it (scaled, in net's precision; ld its leading dimension).
 *   sp     X's compressed copies (sparse.c), read by the first layer instead
 *          of x when not NULL;
 *   masks  dropout: masks[l] (1 <= l < L), sizes[l] x N with ld sizes[l], of
 *          net's type, multiplies layer l's output; NULL entries or masks =
 *          NULL: none.
 * The output layer keeps Z_L in ws->Z. The _f64/_f32 pair is the
 * precisions' copies; nn__forward_in picks one by net->f32.
 */
void nn__forward_in(nn_workspace *ws, const nn_net *net, const void *x, size_t ld, size_t N,
		    nn_sparse *sp, void *const *masks);
void nn__forward_in_f64(nn_workspace *ws, const nn_net *net, const double *x, size_t ld,
			size_t N, nn_sparse *sp, double *const *masks);
void nn__forward_in_f32(nn_workspace *ws, const nn_net *net, const float *x, size_t ld,
			size_t N, nn_sparse *sp, float *const *masks);

/* The forward pass on X as the public types hold it (double, unscaled; X
 * valid, finite, at most max_batch columns): X itself when the first layer
 * can read it, else its copy in ws->xin (nn__input_copy). */
void nn__forward(nn_workspace *ws, const nn_net *net, const nn_matrix *X, nn_sparse *sp,
		 void *const *masks);

/*
 * backward.c: THE backward pass, from D_L and db_L already in place (the
 * output pass): dW_L, then for l = L-1..1 D_l, db_l and dW_l, into grad (a
 * buffer of net's parameter layout and type, nn__grad_new; overwritten,
 * beta = 0). sp and masks as in the forward pass that this one
 * differentiates (which recorded where each layer read its input).
 */
void nn__backward(void *grad, nn_workspace *ws, const nn_net *net, nn_sparse *sp,
		  void *const *masks);
void nn__backward_in_f64(double *grad, nn_workspace *ws, const nn_net *net, nn_sparse *sp,
			 double *const *masks);
void nn__backward_in_f32(float *grad, nn_workspace *ws, const nn_net *net, nn_sparse *sp,
			 float *const *masks);

/*
 * What the outputs of a batch's columns should be: class labels (one per
 * column: the 0/1 label itself for one output unit, one-hot for k > 1) or
 * real values (k x N, column-major with ld ldy).
 */
typedef struct nn__target {
	const int *labels;  /* or NULL */
	const double *Y;    /* or NULL */
	size_t ldy;
} nn__target;

/* The target of columns j0, j0 + 1, ... of t. */
static inline nn__target nn__target_from(const nn__target *t, size_t j0)
{
	nn__target r = *t;
	if (r.labels)
		r.labels += j0;
	else
		r.Y += j0 * r.ldy;
	return r;
}

/* The target of a data set: y's labels, or Y's values when Y is not NULL. */
nn__target nn__target_of(const nn_labels *y, const nn_matrix *Y);

/* Columns an inference workspace takes at once for n samples: at most 1024,
 * fewer when the activations would take more than 64 MiB. */
size_t nn__eval_chunk(const nn_net *net, size_t n);

/* cost.c: what the output pass measured on a batch. */
typedef struct nn__score {
	double cost;     /* the cost, summed over the batch's columns */
	size_t correct;  /* labels: columns whose predicted class is the label */
	double sse, sae; /* values: sums of squared and absolute errors over columns and outputs */
} nn__score;

/*
 * The output pass, fused: from A_L (and Z_L) of the last forward pass and
 * the target t of its columns, the cost and the number of correct
 * predictions (or the error sums) and, when grad is not NULL,
 * D_L = dC/dZ_L (into ws) and db_L = row sums of D_L (into grad, net's
 * layout). With values and sse_k not NULL, each output's squared errors
 * are ADDED to sse_k[0..k).
 */
void nn__output_pass(nn__score *s, nn_workspace *ws, const nn_net *net, const nn__target *t,
		     void *grad, double *sse_k);
void nn__output_pass_in_f64(nn__score *s, nn_workspace *ws, const nn_net *net,
			    const nn__target *t, double *grad, double *sse_k);
void nn__output_pass_in_f32(nn__score *s, nn_workspace *ws, const nn_net *net,
			    const nn__target *t, float *grad, double *sse_k);

/* conv.c: the kernels of convolution and pooling layers besides the products
 * (see the layout there). in and din hold nb (or N) samples of L->in, one
 * per column (ld_in, ld); col is K x (Ho*Wo*nb); out, dout and idx hold
 * samples of L->out with ld = its size. */
void nn__im2col_f64(double *col, const double *in, size_t ld_in, const nn__layer *L, size_t nb);
void nn__im2col_f32(float *col, const float *in, size_t ld_in, const nn__layer *L, size_t nb);
/* din = the sum of dcol's windows back onto the input (overwritten). */
void nn__col2im_f64(double *din, size_t ld, const double *dcol, const nn__layer *L, size_t nb);
void nn__col2im_f32(float *din, size_t ld, const float *dcol, const nn__layer *L, size_t nb);
/* out = the max (and idx its input offset in the sample; first wins ties) or
 * the mean of each window. */
void nn__pool_forward_f64(double *out, uint32_t *idx, const double *in, size_t ld_in,
			  const nn__layer *L, size_t N);
void nn__pool_forward_f32(float *out, uint32_t *idx, const float *in, size_t ld_in,
			  const nn__layer *L, size_t N);
/* din = dout scattered to each window's argmax, or spread over the window
 * (overwritten; the edges no window covers get 0). */
void nn__pool_backward_f64(double *din, size_t ld, const double *dout, const uint32_t *idx,
			   const nn__layer *L, size_t N);
void nn__pool_backward_f32(float *din, size_t ld, const float *dout, const uint32_t *idx,
			   const nn__layer *L, size_t N);

/* The sums of the output pass over all of (X, t), chunk by chunk through
 * ws (the input scaled as net scales it); sse_k as for the output pass. */
struct nn__score;
void nn__evaluate(struct nn__score *s, nn_workspace *ws, const nn_net *net, const nn_matrix *X,
		  const nn__target *t, double *sse_k);

/* m from the sums of an evaluation on value targets Y and each output's
 * squared errors sse_k (R^2 against Y's own variance per output, put into
 * sst_k, k scratch values). */
void nn__metrics_values(nn_metrics *m, const struct nn__score *s, const double *sse_k,
			double *sst_k, const nn_matrix *Y);

/* Each output's total sum of squares about its mean: sst_k[i] over row i of Y. */
void nn__sst(double *sst_k, const nn_matrix *Y);

/* R^2 as scikit-learn's r2_score: the mean over k outputs of 1 - SSE / SST. */
double nn__r2(const double *sse_k, const double *sst_k, size_t k);

/* The class a column a of k outputs predicts: a > 0.5 for one unit (np.round
 * sends 0.5 to 0), else the first argmax (np.argmax). */
size_t nn__predict_column_f64(const double *a, size_t k);
size_t nn__predict_column_f32(const float *a, size_t k);

/*
 * sparse.c. X (n_0 x N) stored once by columns (CSC: the non-zeros of each
 * sample, for Z_1 = W_1 X) and by rows (CSR: the non-zeros of each input
 * feature, for dW_1 = D_1 X^T): 12 bytes per non-zero in each. The two
 * products are then sparse x dense kernels that keep a block of h outputs
 * in registers; with 2 threads, Z_1 is split by samples and dW_1 by
 * features at the non-zero midpoint, so no output is written twice.
 */
struct nn_sparse {
	size_t rows, cols, nnz;  /* X is rows x cols with nnz non-zeros */
	size_t cap_cols, cap_nnz; /* room for so many columns and non-zeros */
	size_t *col_ptr;         /* CSC: cols + 1 offsets into col_idx and col_val */
	uint32_t *col_idx;       /* the row of each non-zero, ascending in each column */
	void *col_val;           /* the values, in the network's precision */
	size_t *row_ptr;         /* CSR: rows + 1 offsets into row_idx and row_val */
	uint32_t *row_idx;       /* the column of each non-zero, ascending in each row */
	void *row_val;
	size_t *row_fill;        /* rows: scratch of the CSR's scatter */
	int f32;                 /* the values are float32 */
	size_t h;                /* the first layer's width the scratch is sized for */
	size_t threads;          /* 1 or more: how the products are split */
	size_t *col_split;       /* threads + 1 column bounds, split at equal non-zeros */
	size_t *row_split;       /* threads + 1 row bounds */
	void *panel;             /* In packed in 32-row panels (the SIMD kernels) */
	size_t *cursor;          /* the kernels' per-thread cursors */
	size_t cursor_per_thread;
	nn__pool *pool;          /* threads - 1 workers; NULL for 1 thread */
};

/* The density of X at or below which the sparse products run, for the
 * kernels of family simd (nn_input_threshold()). */
double nn__sparse_threshold(int simd);

/* Whether a first layer reads its input sparse: asked for, or AUTO and
 * X's density (non-zeros / cells) at or below the family's threshold. The
 * one rule of nn_gd and nn_fitter. */
int nn__sparse_wanted(nn_input_mode mode, double density, int simd);

/* Non-zero entries of X (count only). */
size_t nn__count_nonzero(const nn_matrix *X);

/* Build sp from X for a first layer of width h, its values in float32 when
 * f32, split over `threads` threads. 0, NN_ESIZE (a dimension beyond
 * 2^32 - 1) or NN_ENOMEM. */
int nn__sparse_new(nn_sparse **sp, const nn_matrix *X, size_t h, size_t threads, int f32);
void nn__sparse_free(nn_sparse *sp);

/* The same, empty, with room for batches of up to max_cols columns of
 * `rows` features and max_nnz non-zeros: a mini-batch run's, filled by
 * nn__sparse_fill for each batch without allocating. */
int nn__sparse_alloc(nn_sparse **sp, size_t rows, size_t max_cols, size_t max_nnz, size_t h,
		     size_t threads, int f32);

/* Fill sp with columns cols[0..n) of X (NULL: the first n), each feature i
 * multiplied by scale[i] (NULL: as they are) and rounded to sp's precision
 * -- the values nn__copy_columns gives when the shift is zero. n and the
 * non-zeros within sp's room. */
void nn__sparse_fill(nn_sparse *sp, const nn_matrix *X, const size_t *cols, size_t n,
		     const double *scale);

/* The most non-zeros n columns of X hold together: the sum of the n
 * largest column counts (room for any batch of n). */
size_t nn__sparse_max_nnz(const nn_matrix *X, size_t n);

/* Change the thread count of sp (pool and splits); 0 or NN_ENOMEM. */
int nn__sparse_set_threads(nn_sparse *sp, size_t threads);

/* Z = W X: W is h x rows (ld_w), Z is h x cols (ld_z, overwritten). With
 * act >= 0 (an elementwise nn_activation), then Z = act(Z + b), a block of
 * columns at a time while it is in cache, on the kernels' threads. */
void nn__sparse_wx_f64(int simd, double *Z, size_t ld_z, const double *W, size_t ld_w,
		       nn_sparse *sp, int act, const double *b);
void nn__sparse_wx_f32(int simd, float *Z, size_t ld_z, const float *W, size_t ld_w,
		       nn_sparse *sp, int act, const float *b);

/* G = D X^T: D is h x cols (ld_d), G is h x rows (ld_g, overwritten). */
void nn__sparse_dxt_f64(int simd, double *G, size_t ld_g, const double *D, size_t ld_d,
			nn_sparse *sp);
void nn__sparse_dxt_f32(int simd, float *G, size_t ld_g, const float *D, size_t ld_d,
			nn_sparse *sp);

/*
 * The kernel both products share, on a matrix S (k x C) compressed by
 * columns (ptr, idx, val): Out[:, c] = sum_t val[t] In[:, idx[t]] for the
 * columns c0 <= c < c1, Out h x C (ld_out, overwritten), In h x k (ld_in).
 */
void nn__spmm_portable_f64(double *Out, size_t ld_out, const double *In, size_t ld_in, size_t h,
			   const size_t *ptr, const uint32_t *idx, const double *val, size_t c0,
			   size_t c1);
void nn__spmm_portable_f32(float *Out, size_t ld_out, const float *In, size_t ld_in, size_t h,
			   const size_t *ptr, const uint32_t *idx, const float *val, size_t c0,
			   size_t c1);
/* Panels of 32 rows: P[(r / 32) * k * 32 + j * 32 + r % 32] = In[r, j], rows
 * past h zero; for columns j0 <= j < j1. */
void nn__pack_panels_f64(double *P, const double *In, size_t ld_in, size_t h, size_t k,
			 size_t j0, size_t j1);
void nn__pack_panels_f32(float *P, const float *In, size_t ld_in, size_t h, size_t k,
			 size_t j0, size_t j1);

/*
 * The AVX2 kernel's cache tiles: KT consecutive indices of In (the columns
 * of a 32-row panel a tile reads) by CB output columns. Measured on MNIST
 * (h = 30 and 128, 500 and 10,000 samples; Zen 5, 48 KiB L1, 1 MiB L2):
 * KT from 128 to 256 is best and flat, 96 and below lose 5-10 % to the
 * tiles' overhead, no tiling at all loses 10 % on Z and half on dW.
 */
#define NN__PANEL 32
#define NN__KT_WX 192   /* features per tile of Z = W X */
#define NN__CB_WX 32    /* samples per block of Z */
#define NN__KT_DXT 192  /* samples per tile of dW = D X^T */
#define NN__CB_DXT 1024 /* features per block of dW (the block's dW panel stays in L2) */

/* train.c: make a run's kernels those of `simd` (NN__SIMD_NONE forces the
 * portable loops; the tests run both). */
struct nn_gd;
void nn__gd_set_simd(struct nn_gd *gd, int simd);

/*
 * fileio.c: an output file that never shows a partial write. A regular
 * file (or a new path) is written to a temporary name beside it and renamed
 * over it by nn__out_commit(); a FIFO or a character device is written in
 * place; a directory, socket or block device is refused (NN_EIO, errno
 * EISDIR, ENXIO, EINVAL). Also compiled into the programs' toolkit.
 */
typedef struct nn__out {
	FILE *fp;   /* write here */
	char *path; /* the file written: the target, symbolic links resolved (owned) */
	char *tmp;  /* the temporary name beside it (owned); NULL when written in place */
} nn__out;

/* 0, NN_ENULL, NN_ENOMEM or NN_EIO (errno set); finish with commit or abort. */
int nn__out_open(nn__out *o, const char *path);

/* Flush, sync and rename into place (in place: flush and close); on any
 * failure the temporary file is removed. Resets o. 0 or NN_EIO (errno set). */
int nn__out_commit(nn__out *o);

/* Close and remove the temporary file; resets o. A no-op on a reset o. */
void nn__out_abort(nn__out *o);

/* buf to path through nn__out; 0, NN_ENULL, NN_EIO or NN_ENOMEM. */
int nn__write_atomic(const char *path, const void *buf, size_t len);

/* fileio.c: open path for reading when it is a regular file, never blocking
 * on a FIFO or opening a device: *fd (the caller closes it) and *st, its
 * stat. 0, NN_ENOENT, NN_EIO (errno says why) or NN_ENOTFILE (st says what
 * the path is instead). */
struct stat;
int nn__open_regular(int *fd, struct stat *st, const char *path);

/* "a directory", "a FIFO", "a character device", ...: what st is, for messages. */
const char *nn__file_kind(const struct stat *st);

/* optim.c: 0 when o was made for networks of net's sizes, else NN_ESHAPE. */
int nn__optim_fits(const nn_optim *o, const nn_net *net);

/* 0 when every setting of o is in range, else NN_EINVAL. */
int nn__optim_check(const nn_optim_options *o);

/* One update of params (o's layout and precision) from a gradient buffer of
 * the same layout: g = scale * grad + l2 * W, then o's rule. */
void nn__optim_update(nn_optim *o, void *params, const void *grad, double eta, double scale);

/* update.c: the settings of one update, and the loop over n parameters p
 * with gradient g (u, v: the rule's state, or NULL), L2 strength lam. */
typedef struct nn__update_args {
	nn_optimizer kind;
	double eta, scale, mu, beta1, beta2, eps;
	double c1, c2; /* Adam's bias corrections, 1 - beta^t */
} nn__update_args;
void nn__update_f64(const nn__update_args *a, double *restrict p, const double *restrict g,
		    double *restrict u, double *restrict v, size_t n, double lam);
void nn__update_f32(const nn__update_args *a, float *restrict p, const float *restrict g,
		    float *restrict u, float *restrict v, size_t n, double lam);

/*
 * The vector kernels of each family (kernels/simd.h) and precision, named
 * family then precision: nn__spmm_avx2_f64, nn__sigmoid_forward_avx512_f32...
 * Called only when nn__cpu_simd() says the CPU runs the family.
 *
 * spmm: the kernel of nn__spmm_portable with In (h x k) packed in 32-row
 *   panels P by nn__pack_panels; kt, cb: the cache tiles (k indices,
 *   columns); cursor: scratch, (h / 32 rounded up) x cb.
 * sigmoid_forward, _output, _backward: nn__act_forward, _forward_output and
 *   _backward for the sigmoid without dropout (same formulas; exp is
 *   libmvec's when the build found it).
 * vexp: exp of one vector's worth of values (4, 8 or 16), as those passes
 *   compute it (for the tests' error bound).
 * update: nn__update, vectorised.
 */
#define NN__KERNELS(fam, T, real)                                                               \
	void nn__spmm_##fam##_##T(real *Out, size_t ld_out, const real *P, size_t h, size_t k,  \
				  const size_t *ptr, const uint32_t *idx, const real *val,       \
				  size_t c0, size_t c1, size_t kt, size_t cb, size_t *cursor);   \
	void nn__sigmoid_forward_##fam##_##T(real *A, size_t rows, size_t cols, size_t ld,       \
					     const real *b);                                     \
	void nn__sigmoid_output_##fam##_##T(real *A, real *Z, size_t rows, size_t cols,          \
					    const real *b);                                      \
	void nn__sigmoid_backward_##fam##_##T(real *D, const real *A, size_t rows, size_t cols,  \
					      size_t ld, real *db);                              \
	void nn__vexp_##fam##_##T(real *y, const real *x);                                      \
	void nn__update_##fam##_##T(const nn__update_args *a, real *restrict p,                  \
				    const real *restrict g, real *restrict u, real *restrict v,  \
				    size_t n, double lam);
NN__KERNELS(avx2, f64, double)
NN__KERNELS(avx2, f32, float)
NN__KERNELS(avx512, f64, double)
NN__KERNELS(avx512, f32, float)
#undef NN__KERNELS

/* dist.c: what distributed runs share. */

/* FNV-1a (64 bits) over n bytes, continuing from h (start from NN__HASH_START). */
#define NN__HASH_START 14695981039346656037ull
static inline uint64_t nn__hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* h continued over what processes must agree on: layer sizes,
 * activations, cost and parameters. */
uint64_t nn__net_fingerprint(const nn_net *net, uint64_t h);

/* h continued over rng's state (processes that shuffle alike agree on it). */
struct nn_rng;
uint64_t nn__rng_fingerprint(const struct nn_rng *rng, uint64_t h);

/*
 * Before a distributed run's first step (d->reduce set): rc is this
 * process's outcome so far, fingerprint a hash of everything the processes
 * must agree on. Returns rc when this process failed, else NN_EPEER when
 * another failed or the fingerprints differ, else an error of the
 * reduction, else 0 -- the same verdict on every process.
 */
int nn__dist_start(const nn_dist *d, int rc, uint64_t fingerprint);

/* Agree on stopping: *all = 1 when any process asked to stop. 0 or an
 * error of the reduction. */
int nn__dist_stop(const nn_dist *d, int stop, int *all);

/* reference.c: the naive loops the tests hold the BLAS path against. */
int nn__forward_naive(double *out, const nn_net *net, const nn_matrix *X);
int nn__backward_naive(nn_net *grad, double *cost, const nn_net *net, const nn_matrix *X,
		       const nn_labels *y);
/* The same against any target: labels or values. */
int nn__backward_naive_target(nn_net *grad, double *cost, const nn_net *net, const nn_matrix *X,
			      const nn__target *t);

#endif /* NN_INTERNAL_H */
