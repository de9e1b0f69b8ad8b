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

/** The kind of a layer (nn_net_new_layers()). */
typedef enum nn_layer_type {
	NN_LAYER_DENSE = 0, /**< fully connected: `units` outputs, W is units x inputs */
	NN_LAYER_CONV2D,    /**< 2-D convolution: `units` output channels, kernel x kernel windows over
			         every input channel, stride 1 or 2, padding valid or same */
	NN_LAYER_MAXPOOL,   /**< the maximum of each kernel x kernel window (stride = kernel; the
			         edges that do not fill a window are dropped) */
	NN_LAYER_AVGPOOL,   /**< the mean of each window, as max-pooling's */
	NN_LAYER_FLATTEN,   /**< C x H x W becomes C*H*W x 1 x 1: no computation */
	NN_LAYER_DROPOUT,   /**< inverted dropout with probability `rate` while training (nn_fit);
			         the identity otherwise */
	NN_LAYER_COUNT_     /**< number of layer types; not a type */
} nn_layer_type;

/** How a convolution treats the edges. */
typedef enum nn_padding {
	NN_PADDING_VALID = 0, /**< no padding: out = floor((in - kernel) / stride) + 1 */
	NN_PADDING_SAME       /**< zeros around the input so that out = ceil(in / stride); the odd
			           one of the padding goes to the bottom and right (as Keras) */
} nn_padding;

/** The shape of one sample: channels x height x width (a flat vector is n x 1 x 1). */
typedef struct nn_shape {
	size_t channels; /**< C */
	size_t height;   /**< H */
	size_t width;    /**< W */
} nn_shape;

/**
 * One layer of a sequence. A sample's values are stored channels fastest:
 * value (c, y, x) of a C x H x W sample is entry c + C * (x + W * y) of its
 * column, so an image of C = 1 channel is its pixels row by row.
 */
typedef struct nn_layer {
	nn_layer_type type;  /**< the kind */
	size_t units;        /**< DENSE: outputs; CONV2D: output channels (filters) */
	size_t kernel;       /**< CONV2D: the window's side k (k x k); pools: the window's side,
			          0 means 2 */
	size_t stride;       /**< CONV2D: 1 or 2, 0 means 1 (pools: always the window) */
	nn_padding padding;  /**< CONV2D */
	nn_activation act;   /**< DENSE, CONV2D: the activation (softmax: the last layer only) */
	double rate;         /**< DROPOUT: the probability of dropping a value, in [0, 1) */
} nn_layer;

/** The floating-point type a network computes in. */
typedef enum nn_precision {
	NN_F64 = 0, /**< binary64: the default, the reference, the lecture's */
	NN_F32      /**< binary32: sgemm and float kernels, half the bytes */
} nn_precision;

/** A network (opaque). */
typedef struct nn_net nn_net;

/** Activations and deltas for batches of up to max_batch samples (opaque). */
typedef struct nn_workspace nn_workspace;

/** The seed of the rng that initialises every new network (nn_net_init_default()). */
#define NN_NET_DEFAULT_SEED 0u

/**
 * Create a fully-connected network, ready to train: its parameters are
 * initialised by nn_net_init_default() from an rng seeded with
 * NN_NET_DEFAULT_SEED (never silently zero; call an nn_net_init_*() function
 * to choose another initialisation or seed). The cost is cross-entropy
 * (NN_COST_CE) on a softmax output layer and the lecture's quadratic cost
 * otherwise; change it with nn_net_set_cost().
 * @param net      out: the network; free with nn_net_free().
 * @param n_layers number of weight layers L >= 1.
 * @param sizes    L + 1 layer widths, each >= 1: sizes[0] inputs ... sizes[L] outputs.
 * @param acts     L activations, one per layer; NULL means sigmoid everywhere (the lecture).
 * @return 0, NN_ENULL, NN_EINVAL (L = 0, a width of 0, an unknown activation,
 *         softmax on a hidden layer or on an output layer of width 1),
 *         NN_ESIZE (a width or the parameter count above INT_MAX: BLAS takes
 *         int sizes) or NN_ENOMEM.
 */
NN_EXPORT int nn_net_new(nn_net **net, size_t n_layers, const size_t *sizes,
			 const nn_activation *acts);

/**
 * Create a network from a sequence of layers, for inputs of shape `input`.
 * Parameters are initialised as nn_net_new() does; the last layer must be
 * DENSE; the cost is chosen from the last activation as by nn_net_new().
 * A dense-only sequence is the network nn_net_new() makes from its widths.
 * @param net    out: the network; free with nn_net_free().
 * @param input  the shape of one input sample (a flat input of n values: n x 1 x 1).
 * @param n      number of layers, >= 1.
 * @param layers n layers, in order from the input.
 * @return 0, NN_ENULL, NN_EINVAL (an unknown type or activation, a size of 0,
 *         a window larger than its input, stride not 1 or 2, a rate outside
 *         [0, 1), softmax other than on the last layer, a last layer that is not
 *         dense; nn_last_error() says which layer and why), NN_ESIZE or NN_ENOMEM.
 */
NN_EXPORT int nn_net_new_layers(nn_net **net, nn_shape input, size_t n, const nn_layer *layers);

/**
 * Create a network from a text description, as the programs' --layers takes:
 * comma- or space-separated items, the input first, then one item a layer:
 *
 *     784                 a flat input of 784 values (the first item)
 *     28x28  28x28x3      an image input: height x width [x channels]
 *     256  256:relu       a dense layer of 256 units [with its activation]
 *     dense:256:relu      the same, spelled out
 *     conv:32:3:relu      a convolution: 32 channels, 3x3 windows [, options:
 *                         s2 (stride 2), same or valid (the default), an activation]
 *     maxpool  maxpool:2  avgpool:2   pooling over 2x2 (or PxP) windows
 *     flatten  dropout:0.5
 *
 * Activations: sigmoid, tanh, relu, leaky-relu, identity (or linear), softmax.
 * A layer without one gets `hidden`, the last layer `output`.
 * Example (the Keras mnist_convnet):
 * "28x28, conv:32:3:relu, maxpool:2, conv:64:3:relu, maxpool:2, flatten, dropout:0.5, 10:softmax".
 * @return as nn_net_new_layers(); NN_EINVAL for a malformed description, with
 *         nn_last_error() naming the item and what was expected.
 */
NN_EXPORT int nn_net_parse(nn_net **net, const char *spec, nn_activation hidden,
			   nn_activation output);

/**
 * Describe net as nn_net_parse() reads it, every activation spelled out:
 * "784, 30:sigmoid, 10:sigmoid", "28x28, conv:32:3:relu, maxpool:2, ...".
 * @return the length of the full description (as snprintf); buf holds at most
 *         n - 1 characters of it and a '\0' (n may be 0).
 */
NN_EXPORT size_t nn_net_describe(char *buf, size_t n, const nn_net *net);

/** The shape of one input sample (n x 1 x 1 for a network made by nn_net_new()). */
NN_EXPORT nn_shape nn_net_input_shape(const nn_net *net);

/**
 * Layer l, 1 <= l <= nn_net_layers(), as it was given (kernel and stride
 * with their defaults filled in), and the shape of its output.
 * @param layer out (may be NULL).
 * @param shape out (may be NULL).
 * @param net   the network.
 * @param l     the layer, 1 <= l <= nn_net_layers(net).
 * @return 0, NN_ENULL or NN_EINVAL (l out of range).
 */
NN_EXPORT int nn_net_layer(nn_layer *layer, nn_shape *shape, const nn_net *net, size_t l);

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

/** Number of layers L (for nn_net_new(): the weight layers). */
NN_EXPORT size_t nn_net_layers(const nn_net *net);

/** Width of layer l's output, C * H * W, 0 <= l <= L (layer 0: the input); 0
 *  when l is out of range. */
NN_EXPORT size_t nn_net_width(const nn_net *net, size_t l);

/** Activation of layer l, 1 <= l <= L (NN_ACT_IDENTITY when l is out of range
 *  or the layer has none: pooling, flatten, dropout). */
NN_EXPORT nn_activation nn_net_activation(const nn_net *net, size_t l);

/**
 * Choose the cost: NN_COST_BCE needs a sigmoid output layer and
 * NN_COST_CE a softmax one.
 * @return 0, NN_ENULL or NN_EINVAL (unknown cost, or the wrong output activation).
 */
NN_EXPORT int nn_net_set_cost(nn_net *net, nn_cost cost);

/** The network's cost. */
NN_EXPORT nn_cost nn_net_cost(const nn_net *net);

/**
 * Make net compute in `precision` from now on: its parameters are converted
 * (float64 to float32 rounds each to nearest; the other way is exact), and
 * so will be everything made for it after -- workspaces, optimisers, runs --
 * which must therefore be made after this call. Inputs and targets stay
 * double in every function; a float32 run converts them once, or while
 * gathering each batch. Model files keep the precision.
 * @return 0, NN_ENULL, NN_EINVAL (not a precision) or NN_ENOMEM (net unchanged).
 */
NN_EXPORT int nn_net_set_precision(nn_net *net, nn_precision precision);

/** The precision net computes in (NN_F64 for a new network). */
NN_EXPORT nn_precision nn_net_precision(const nn_net *net);

/**
 * Copy the parameters, converted to double whatever the precision, into dst
 * (nn_net_param_count() values, the layout of nn_net_params()).
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_get_params(double *dst, const nn_net *net);

/**
 * Set the parameters from src (nn_net_param_count() doubles), rounded to
 * float32 for a float32 network.
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_set_params(nn_net *net, const double *src);

/** Number of trainable parameters: sum over l of (sizes[l-1] + 1) * sizes[l]. */
NN_EXPORT size_t nn_net_param_count(const nn_net *net);

/**
 * All parameters of a float64 network, layer by layer, W_l (column-major)
 * then b_l. Valid until nn_net_free() or nn_net_set_precision(); writable,
 * so an optimiser can update them. NULL for a float32 network (see
 * nn_net_params_f32(), nn_net_get_params()).
 */
NN_EXPORT double *nn_net_params(nn_net *net);

/** Read-only nn_net_params(). */
NN_EXPORT const double *nn_net_params_const(const nn_net *net);

/** The parameters of a float32 network, as nn_net_params(); NULL for a float64 one. */
NN_EXPORT float *nn_net_params_f32(nn_net *net);

/**
 * A view of W_l, 1 <= l <= L, valid until nn_net_free(): sizes[l] x sizes[l-1]
 * for a dense layer; C_out x (k * k * C_in) for a convolution, whose column
 * c + C_in * (dx + k * dy) holds the weight of input channel c at window
 * offset (dy, dx).
 * @return 0, NN_ENULL or NN_EINVAL (l out of range, a layer without weights,
 *         or a float32 network: see nn_net_get_params()).
 */
NN_EXPORT int nn_net_weights(nn_matrix *w, nn_net *net, size_t l);

/**
 * A view of b_l, 1 <= l <= L, valid until nn_net_free(): sizes[l] x 1 for a
 * dense layer, C_out x 1 for a convolution (one bias per channel).
 * @return 0, NN_ENULL or NN_EINVAL (l out of range, a layer without weights,
 *         or a float32 network).
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
 * The default initialisation, what nn_net_new() and nn_net_new_layers() do
 * with an rng seeded with NN_NET_DEFAULT_SEED: layer by layer, He
 * (nn_net_init_he()) for a ReLU or leaky-ReLU layer, Glorot
 * (nn_net_init_glorot()) for the others; biases 0.
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_init_default(nn_net *net, nn_rng *rng);

/**
 * Glorot/Xavier initialisation: every W_l uniform in [-a, a] with
 * a = sqrt(6 / (fan_in + fan_out)), drawn row by row; b_l = 0. A dense
 * layer's fans are sizes[l-1] and sizes[l]; a convolution's k*k*C_in and
 * k*k*C_out (as Keras).
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_net_init_glorot(nn_net *net, nn_rng *rng);

/**
 * He initialisation (for ReLU layers): every W_l normal with standard
 * deviation sqrt(2 / fan_in), drawn row by row; b_l = 0.
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

/** What a network's outputs mean: set by the training functions, kept in model files. */
typedef enum nn_task {
	NN_TASK_AUTO = 0,   /**< not known yet (a new network); for readers: decide from the data */
	NN_TASK_CLASSIFY,   /**< classes: trained on labels (nn_fit(), nn_train_gd()) */
	NN_TASK_REGRESS,    /**< real values: trained on a target matrix (nn_fit_values()) */
	NN_TASK_NONE,       /**< for readers: no target at all (data to predict on) */
	NN_TASK_COUNT_      /**< not a task */
} nn_task;

/** The task a network was trained for (NN_TASK_AUTO before any training). */
NN_EXPORT nn_task nn_net_task(const nn_net *net);

/**
 * Say what the outputs mean (the training functions set it).
 * @return 0, NN_ENULL or NN_EINVAL (not CLASSIFY, REGRESS or AUTO).
 */
NN_EXPORT int nn_net_set_task(nn_net *net, nn_task task);

/** How a network scales its inputs before its first layer. */
typedef enum nn_scaling {
	NN_SCALING_NONE = 0, /**< inputs as they are */
	NN_SCALING_STANDARD, /**< (x - mean) / std per feature, scikit-learn's StandardScaler (a
			          feature of std 0 is only centred) */
	NN_SCALING_MINMAX,   /**< (x - min) / (max - min) per feature, into [0, 1] on the data it
			          was fitted on, scikit-learn's MinMaxScaler (max = min: x - min) */
	NN_SCALING_COUNT_    /**< not a scaling */
} nn_scaling;

/**
 * Fit an input scaling on X (the training set, sizes[0] x N) and attach it
 * to net: from then on every function that takes inputs for net -- the
 * passes, prediction, training, evaluation -- takes them unscaled and
 * scales them on the way in (x' = (x - shift) * scale per feature), and
 * model files keep it. Make workspaces after attaching a scaling.
 * @param net the network.
 * @param how NN_SCALING_NONE removes it.
 * @param X   the training inputs, sizes[0] x N.
 * @return 0, NN_ENULL, NN_EINVAL (not a scaling), NN_ESHAPE (X's rows are not
 *         the input width), NN_ENONFINITE or NN_ENOMEM.
 */
NN_EXPORT int nn_net_fit_scaling(nn_net *net, nn_scaling how, const nn_matrix *X);

/**
 * Attach a scaling given by its sizes[0] shifts and scales (as a model file
 * or another program has them): x' = (x - shift) * scale.
 * @param net   the network.
 * @param how   the kind it records (NN_SCALING_NONE removes the scaling).
 * @param shift sizes[0] values (may be NULL with NN_SCALING_NONE).
 * @param scale sizes[0] values (may be NULL with NN_SCALING_NONE).
 * @return 0, NN_ENULL, NN_EINVAL (not a scaling; a shift or scale not finite)
 *         or NN_ENOMEM.
 */
NN_EXPORT int nn_net_set_scaling(nn_net *net, nn_scaling how, const double *shift,
				 const double *scale);

/**
 * The network's input scaling.
 * @param net   the network.
 * @param shift out (may be NULL): sizes[0] shifts, owned by net; NULL without one.
 * @param scale out (may be NULL): sizes[0] factors, owned by net; NULL without one.
 * @return the kind; NN_SCALING_NONE without one.
 */
NN_EXPORT nn_scaling nn_net_scaling(const nn_net *net, const double **shift,
				    const double **scale);

/** Which names a network keeps. */
typedef enum nn_names {
	NN_NAMES_FEATURES = 0, /**< the inputs', sizes[0] of them */
	NN_NAMES_CLASSES,      /**< the classes', in id order (at most the output width; 2 for
				    one output unit) */
	NN_NAMES_TARGETS,      /**< the regression outputs', sizes[L] of them */
	NN_NAMES_COUNT_        /**< not a kind of names */
} nn_names;

/**
 * Keep names with the network (copied; model files keep them), so that a
 * program that loads it can answer "setosa" rather than 0.
 * @param net   the network.
 * @param which which names.
 * @param n     how many; 0 removes them.
 * @param names n strings.
 * @return 0, NN_ENULL, NN_EINVAL (too many or too few for what they name) or NN_ENOMEM.
 */
NN_EXPORT int nn_net_set_names(nn_net *net, nn_names which, size_t n, const char *const *names);

/** Name i of a kind, or NULL when the network has none or i is out of range. */
NN_EXPORT const char *nn_net_name(const nn_net *net, nn_names which, size_t i);

/** How many names of a kind the network keeps. */
NN_EXPORT size_t nn_net_names_count(const nn_net *net, nn_names which);

/** How well a network does on a data set. */
typedef struct nn_metrics {
	size_t n;         /**< samples scored */
	double cost;      /**< the cost, mean per sample */
	size_t correct;   /**< classes: samples whose predicted class is their label */
	double accuracy;  /**< classes: correct / n; NaN for values */
	double mse;       /**< values: mean squared error over samples and outputs; NaN for classes */
	double rmse;      /**< values: sqrt(mse) */
	double mae;       /**< values: mean absolute error */
	double r2;        /**< values: the coefficient of determination as scikit-learn's r2_score
			       computes it: the mean over outputs of 1 - SSE_k / SST_k (SST_k of
			       the data given); NaN for classes */
} nn_metrics;

/**
 * Forward pass: A_l = act_l(W_l A_{l-1} + b_l) for l = 1..L, one dgemm per layer.
 * @param out out: a view of A_L (sizes[L] x X->cols), valid until the next
 *            call with ws; may be NULL.
 * @param ws  a workspace made for net's layer sizes; holds the activations.
 * @param net the network.
 * @param X   input, sizes[0] x N with 1 <= N <= the workspace's max_batch.
 * @return 0, NN_ENULL, NN_ESHAPE, NN_ENONFINITE (X holds NaN or Inf) or
 *         NN_EINVAL (out not NULL for a float32 network, whose outputs are
 *         not doubles: use nn_predict_values()).
 */
NN_EXPORT int nn_forward(nn_matrix *out, nn_workspace *ws, const nn_net *net, const nn_matrix *X);

/**
 * Predicted class of each sample: round(a) for one output unit, the
 * argmax over output units otherwise. X may hold any number of samples:
 * they go through the workspace a chunk at a time.
 * @param pred out: X->cols labels.
 * @param ws   a workspace made for net, or NULL: one is made for the call.
 * @param net  the network.
 * @param X    input, sizes[0] x N, N >= 1.
 * @return 0, NN_ENULL, NN_ESHAPE, NN_ENONFINITE or NN_ENOMEM.
 */
NN_EXPORT int nn_predict(int *pred, nn_workspace *ws, const nn_net *net, const nn_matrix *X);

/**
 * The output layer's values for each sample -- the class probabilities of
 * a softmax or sigmoid output, the predicted values of a regression --
 * for any number of samples, as nn_predict().
 * @param out out: a sizes[L] x X->cols matrix of the caller's (any ld).
 * @param ws  a workspace made for net, or NULL.
 * @param net the network.
 * @param X   input, sizes[0] x N.
 * @return as nn_predict().
 */
NN_EXPORT int nn_predict_values(nn_matrix *out, nn_workspace *ws, const nn_net *net,
				const nn_matrix *X);

/**
 * Cost and number of correct predictions of net on (X, y), for any number
 * of samples, as nn_predict().
 * @param cost    out (may be NULL): the network's cost, summed over samples.
 * @param correct out (may be NULL): how many samples are predicted right.
 * @param ws      a workspace made for net, or NULL.
 * @param net     the network.
 * @param X       input, sizes[0] x N.
 * @param y       N labels, each a class of the output layer.
 * @return as nn_predict(), or NN_ELABEL (a label is not a class of the output layer).
 */
NN_EXPORT int nn_evaluate(double *cost, size_t *correct, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y);

/**
 * The metrics of net on (X, Y) for real-valued targets (a regression or
 * multi-label outputs), for any number of samples, as nn_predict().
 * @param m   out: n, cost, mse, rmse, mae and r2 (accuracy NaN).
 * @param ws  a workspace made for net, or NULL.
 * @param net the network.
 * @param X   input, sizes[0] x N.
 * @param Y   sizes[L] x N target values.
 * @return as nn_predict(), or NN_EINVAL (targets the cost cannot take: outside
 *         [0, 1] for NN_COST_BCE, not distributions for NN_COST_CE).
 */
NN_EXPORT int nn_evaluate_values(nn_metrics *m, nn_workspace *ws, const nn_net *net,
				 const nn_matrix *X, const nn_matrix *Y);

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
