/**
 * @file optim.h
 * @brief Optimisers: one update of a network's whole parameter buffer from a gradient.
 *
 * An nn_optim carries its settings (nn_optim_options) and its state
 * (velocities or moments, the step count), so that training can stop,
 * save the state in a model file and resume exactly. nn_fit() makes one
 * from nn_fit_options::optim, or takes the caller's through
 * nn_fit_options::resume.
 */
#ifndef NN_OPTIM_H
#define NN_OPTIM_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "model.h"
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The update rule. g is the scaled gradient plus l2 * W (weights only). */
typedef enum nn_optimizer {
	NN_OPT_SGD = 1,      /**< w -= eta g */
	NN_OPT_MOMENTUM,     /**< u = mu u + g; w -= eta u */
	NN_OPT_NESTEROV,     /**< u = mu u + g; w -= eta (g + mu u) */
	NN_OPT_ADAM,         /**< Kingma & Ba, with bias correction */
	NN_OPT_COUNT_        /**< not an optimiser */
} nn_optimizer;

/** An optimiser's settings; start from nn_optim_defaults(). */
typedef struct nn_optim_options {
	nn_optimizer kind;   /**< default NN_OPT_SGD */
	double momentum;     /**< mu for MOMENTUM and NESTEROV, in [0, 1); default 0.9 */
	double beta1;        /**< Adam's decay rate of the first moment, in [0, 1); default 0.9 */
	double beta2;        /**< Adam's decay rate of the second moment, in [0, 1); default 0.999 */
	double epsilon;      /**< Adam's epsilon, > 0; default 1e-8 */
	double l2;           /**< L2 strength lam >= 0, on weights only: g += lam W; default 0 */
} nn_optim_options;

/** An optimiser with its state (opaque): velocities, moments, step count. */
typedef struct nn_optim nn_optim;

/** The defaults listed in nn_optim_options. */
NN_EXPORT nn_optim_options nn_optim_defaults(void);

/**
 * Create an optimiser for networks of net's layer sizes.
 * @param o   out: free with nn_optim_free().
 * @param net a network of the layer sizes it will update.
 * @param opt the settings; NULL means nn_optim_defaults().
 * @return 0, NN_ENULL, NN_EINVAL (a setting out of range) or NN_ENOMEM.
 */
NN_EXPORT int nn_optim_new(nn_optim **o, const nn_net *net, const nn_optim_options *opt);

/** Free an optimiser; NULL is a no-op. */
NN_EXPORT void nn_optim_free(nn_optim *o);

/** The settings o was made with. */
NN_EXPORT nn_optim_options nn_optim_settings(const nn_optim *o);

/**
 * One update of net from grad: g = scale * grad + l2 * W, then the rule.
 * @param o     the optimiser.
 * @param net   the network updated, of the layer sizes o was made for.
 * @param grad  a network of net's sizes holding the gradient (nn_backward()).
 * @param eta   the step size of this update.
 * @param scale the factor applied to grad first (1 / batch size for a batch mean).
 * @return 0, NN_ENULL or NN_ESHAPE (net or grad is not of the layer sizes o
 *         was made for).
 */
NN_EXPORT int nn_optim_step(nn_optim *o, nn_net *net, const nn_net *grad, double eta,
			    double scale);

/**
 * The optimiser's state as a model-file block (kind = the nn_optimizer,
 * step = updates taken, data = velocities or moments), borrowed from o:
 * valid until the next nn_optim_step() or nn_optim_free().
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_optim_state(nn_model_state *state, const nn_optim *o);

/**
 * Restore a state saved from nn_optim_state(), to resume training exactly.
 * @return 0, NN_ENULL, or NN_EMISMATCH (another optimiser or network size).
 */
NN_EXPORT int nn_optim_set_state(nn_optim *o, const nn_model_state *state);

#ifdef __cplusplus
}
#endif

#endif /* NN_OPTIM_H */
