/**
 * @file net.h
 * @brief A fully-connected network: layers, parameters, forward and backward.
 *
 * A network of L layers maps sizes[0] inputs to sizes[L] outputs. Layer l
 * (1 <= l <= L) holds W_l (sizes[l] x sizes[l-1], column-major) and b_l
 * (sizes[l] x 1). All parameters live in one contiguous buffer, layer by
 * layer, W_l then b_l, so an update is one pass and a copy one memcpy.
 *
 * On a batch X (sizes[0] x N, one sample per column):
 *   Z_l = W_l A_{l-1} + b_l,  A_l = act_l(Z_l),  A_0 = X.
 * The cost is by default the lecture's quadratic cost, summed over the batch:
 *   C = 1/2 sum_i ||A_L[:, i] - y_i||^2
 * where y_i is the 0/1 label itself for one output unit and the one-hot
 * vector of the label for k > 1 output units (nn_net_set_cost() chooses a
 * cross-entropy instead).
 */
#ifndef NN_NET_H
#define NN_NET_H

#include <stddef.h>

#include "common.h"
#include "matrix.h"
#include "random.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The activation of a layer. */
typedef enum nn_activation {
	NN_ACT_SIGMOID = 0, /**< sigma(z) = 1 / (1 + exp(-z)) */
	NN_ACT_IDENTITY,    /**< z */
	NN_ACT_TANH,        /**< tanh(z) */
	NN_ACT_RELU,        /**< max(z, 0) */
	NN_ACT_LEAKY_RELU,  /**< z for z > 0, else 0.01 z */
	NN_ACT_SOFTMAX,     /**< exp(z_i) / sum_j exp(z_j) over a column; output layer only, width >= 2 */
	NN_ACT_COUNT_       /**< number of activations; not an activation */
} nn_activation;

/**
 * The cost a network is trained on. The lecture's quadratic cost is the
 * default. The cross-entropies are computed stably from Z (log-sum-exp,
 * softplus), and with their matching output activation the output delta
 * is simply A - Y.
 */
typedef enum nn_cost {
	NN_COST_QUADRATIC = 0, /**< 1/2 sum ||a - y||^2 */
	NN_COST_BCE,           /**< binary cross-entropy, on a sigmoid output layer:
				    -sum [y log a + (1 - y) log(1 - a)] */
	NN_COST_CE,            /**< categorical cross-entropy, on a softmax output layer:
				    -sum log a_label */
	NN_COST_COUNT_         /**< number of costs; not a cost */
} nn_cost;

/** A network (opaque). */
typedef struct nn_net nn_net;

/** Activations and deltas for batches of up to max_batch samples (opaque). */
typedef struct nn_workspace nn_workspace;

/**
 * Create a network with all parameters zero.
 * @param net      out: the network; free with nn_net_free().
 * @param n_layers number of weight layers L >= 1.
 * @param sizes    L + 1 layer widths, each >= 1: sizes[0] inputs ... sizes[L] outputs.
 * @param acts     L activations, one per layer; NULL means sigmoid everywhere (the lecture).
 * The cost is NN_COST_QUADRATIC; change it with nn_net_set_cost().
 * @return 0, NN_ENULL, NN_EINVAL (L = 0, a width of 0, an unknown activation,
 *         softmax on a hidden layer or on an output layer of width 1),
 *         NN_ESIZE (a width or the parameter count above INT_MAX: BLAS takes
 *         int sizes) or NN_ENOMEM.
 */
NN_EXPORT int nn_net_new(nn_net **net, size_t n_layers, const size_t *sizes,
			 const nn_activation *acts);

/** Free a network; NULL is a no-op. */
NN_EXPORT void nn_net_free(nn_net *net);

/**
 * A deep copy of src.
 * @param dst out: the copy; free with nn_net_free().
 * @param src the network copied.
 * @return 0, NN_ENULL or NN_ENOMEM.
 */
NN_EXPORT int nn_net_clone(nn_net **dst, const nn_net *src);

/**
 * Copy src's parameters into dst, which must have the same layer sizes.
 * @return 0, NN_ENULL or NN_ESHAPE.
 */
NN_EXPORT int nn_net_copy_params(nn_net *dst, const nn_net *src);

/** Number of weight layers L. */
NN_EXPORT size_t nn_net_layers(const nn_net *net);

/** Width of layer l, 0 <= l <= L (sizes[l]); 0 when l is out of range. */
NN_EXPORT size_t nn_net_width(const nn_net *net, size_t l);

/** Activation of layer l, 1 <= l <= L (NN_ACT_IDENTITY when l is out of range). */
NN_EXPORT nn_activation nn_net_activation(const nn_net *net, size_t l);

/**
 * Choose the cost: NN_COST_BCE needs a sigmoid output layer and
 * NN_COST_CE a softmax one.
 * @return 0, NN_ENULL or NN_EINVAL (unknown cost, or the wrong output activation).
 */
NN_EXPORT int nn_net_set_cost(nn_net *net, nn_cost cost);

/** The network's cost. */
NN_EXPORT nn_cost nn_net_cost(const nn_net *net);

/** Number of trainable parameters: sum over l of (sizes[l-1] + 1) * sizes[l]. */
NN_EXPORT size_t nn_net_param_count(const nn_net *net);

/**
 * All parameters, layer by layer, W_l (column-major) then b_l.
 * Valid until nn_net_free(); writable, so an optimiser can update them.
 */
NN_EXPORT double *nn_net_params(nn_net *net);

/** Read-only nn_net_params(). */
NN_EXPORT const double *nn_net_params_const(const nn_net *net);

/**
 * A view of W_l (sizes[l] x sizes[l-1]), 1 <= l <= L, valid until nn_net_free().
 * @return 0, NN_ENULL or NN_EINVAL (l out of range).
 */
NN_EXPORT int nn_net_weights(nn_matrix *w, nn_net *net, size_t l);

/**
 * A view of b_l (sizes[l] x 1), 1 <= l <= L, valid until nn_net_free().
 * @return 0, NN_ENULL or NN_EINVAL (l out of range).
 */
NN_EXPORT int nn_net_bias(nn_matrix *b, nn_net *net, size_t l);

/**
 * Initialise like the lecture's second_network: for l = 1..L in turn,
 * W_l = `npr.randn(sizes[l], sizes[l-1])` (drawn row by row, as numpy
 * fills a C-order array) and b_l = 0.
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_init_randn(nn_net *net, nn_rng *rng);

/**
 * Initialise like the lecture's first_network: for l = 1..L in turn, the
 * entries of W_l row by row, then those of b_l, each `npr.random()`.
 * For a 2-1 network this draws w1, w2, b in that order.
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_init_random(nn_net *net, nn_rng *rng);

/**
 * Glorot/Xavier initialisation: every W_l uniform in [-a, a] with
 * a = sqrt(6 / (sizes[l-1] + sizes[l])), drawn row by row; b_l = 0.
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_init_glorot(nn_net *net, nn_rng *rng);

/**
 * He initialisation (for ReLU layers): every W_l normal with standard
 * deviation sqrt(2 / sizes[l-1]), drawn row by row; b_l = 0.
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_init_he(nn_net *net, nn_rng *rng);

/**
 * Orthogonal initialisation: W_l = gain * Q, where Q comes from the QR
 * factorisation (LAPACKE dgeqrf + dorgqr) of a Gaussian matrix, signs
 * fixed by diag(R), so the rows (or columns, whichever are fewer) of W_l
 * are orthonormal; b_l = 0.
 * @return 0, NN_ENULL, NN_EINVAL (gain not finite) or NN_ENOMEM.
 */
NN_EXPORT int nn_net_init_orthogonal(nn_net *net, nn_rng *rng, double gain);

/**
 * Create a workspace for batches of up to max_batch samples.
 * It holds A_1..A_L and the deltas; it borrows nothing from net, but must
 * only be used with networks of net's layer sizes.
 * @param ws        out: the workspace; free with nn_workspace_free().
 * @param net       a network of the layer sizes it will serve.
 * @param max_batch the most samples (columns of X) one call may pass, >= 1.
 * @return 0, NN_ENULL, NN_EINVAL (max_batch = 0), NN_ESIZE or NN_ENOMEM.
 */
NN_EXPORT int nn_workspace_new(nn_workspace **ws, const nn_net *net, size_t max_batch);

/** Free a workspace; NULL is a no-op. */
NN_EXPORT void nn_workspace_free(nn_workspace *ws);

/**
 * Forward pass: A_l = act_l(W_l A_{l-1} + b_l) for l = 1..L, one dgemm per layer.
 * @param out out: a view of A_L (sizes[L] x X->cols), valid until the next
 *            call with ws; may be NULL.
 * @param ws  a workspace made for net's layer sizes; holds the activations.
 * @param net the network.
 * @param X   input, sizes[0] x N with 1 <= N <= the workspace's max_batch.
 * @return 0, NN_ENULL, NN_ESHAPE or NN_ENONFINITE (X holds NaN or Inf).
 */
NN_EXPORT int nn_forward(nn_matrix *out, nn_workspace *ws, const nn_net *net, const nn_matrix *X);

/**
 * Predicted class of each sample: round(a) for one output unit, the
 * argmax over output units otherwise.
 * @param pred out: X->cols labels.
 * @param ws   as for nn_forward().
 * @param net  the network.
 * @param X    input, as for nn_forward().
 * @return as nn_forward().
 */
NN_EXPORT int nn_predict(int *pred, nn_workspace *ws, const nn_net *net, const nn_matrix *X);

/**
 * Cost and number of correct predictions of net on (X, y).
 * @param cost    out (may be NULL): the network's cost, summed over samples.
 * @param correct out (may be NULL): how many samples are predicted right.
 * @param ws      as for nn_forward().
 * @param net     the network.
 * @param X       input, as for nn_forward().
 * @param y       X->cols labels, each a class of the output layer.
 * @return as nn_forward(), or NN_ELABEL (a label is not a class of the output layer).
 */
NN_EXPORT int nn_evaluate(double *cost, size_t *correct, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y);

/**
 * Gradient of the network's cost, summed over the batch (backpropagation).
 * Runs a forward pass, then for l = L..1
 *   delta_L = dC/dZ_L (quadratic: (A_L - Y) o act'(Z_L); a cross-entropy with
 *   its matching output: A_L - Y),  delta_l = (W_{l+1}^T delta_{l+1}) o act'(Z_l),
 *   dC/dW_l = delta_l A_{l-1}^T,      dC/db_l = row sums of delta_l,
 * each product one dgemm over the whole batch.
 * @param grad out: a network of net's sizes whose parameters are OVERWRITTEN
 *             with dC/dW_l and dC/db_l.
 * @param cost out (may be NULL): the cost at net.
 * @param ws   as for nn_forward(); also holds the deltas.
 * @param net  the network differentiated.
 * @param X    input, as for nn_forward().
 * @param y    X->cols labels, each a class of the output layer.
 * @return 0, NN_ENULL, NN_ESHAPE (grad's or X's sizes), NN_ENONFINITE or NN_ELABEL.
 */
NN_EXPORT int nn_backward(nn_net *grad, double *cost, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y);

#ifdef __cplusplus
}
#endif

#endif /* NN_NET_H */
