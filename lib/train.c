/*
 * Full-batch gradient descent, the lecture's build_model loop:
 *
 *   forward
 *   repeat: gradient from the current forward pass; W -= eta dW, b -= eta db;
 *           forward; score; keep a deep copy when the score beats the best
 *
 * The output pass after each forward computes the cost, the score and the
 * next step's output delta in one sweep, so the forward pass that scores
 * step i is the one step i + 1 differentiates.
 */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/train.h"
#include "nn_internal.h"

struct nn_gd {
	nn_net *net;         /* borrowed: updated in place */
	const nn_matrix *X;  /* borrowed */
	const nn_labels *y;  /* borrowed */
	double eta;
	nn_workspace *ws;
	nn_net *grad;        /* dC/dparams, same layout as net */
	nn_net *best;        /* deep copy of the best model so far */
	size_t steps;
	int has_best;
	size_t best_step, best_correct, correct;
	double best_cost, cost;
};

NN_EXPORT int nn_gd_new(nn_gd **out, nn_net *net, const nn_matrix *X, const nn_labels *y,
			double eta)
{
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!net || !X || !y)
		return NN_ENULL;
	if (!(eta > 0.0) || !isfinite(eta))
		return NN_EINVAL;
	int rc = nn__matrix_valid(X);
	if (rc)
		return rc;
	if (X->rows != net->sizes[0] || y->n != X->cols)
		return NN_ESHAPE;
	if ((rc = nn_matrix_check_finite(X)) || (rc = nn__check_labels(y, net->sizes[net->n_layers])))
		return rc;

	nn_gd *gd = calloc(1, sizeof(*gd));
	if (!gd)
		return NN_ENOMEM;
	gd->net = net;
	gd->X = X;
	gd->y = y;
	gd->eta = eta;
	if ((rc = nn_workspace_new(&gd->ws, net, X->cols)) || (rc = nn_net_clone(&gd->grad, net)) ||
	    (rc = nn_net_clone(&gd->best, net)))
		goto out;
	nn__forward(gd->ws, net, X);
	nn__output_pass(&gd->cost, &gd->correct, gd->ws, net, y->data, gd->grad);
	gd->best_cost = gd->cost;
	*out = gd;
	gd = NULL;
out:
	nn_gd_free(gd);
	return rc;
}

NN_EXPORT void nn_gd_free(nn_gd *gd)
{
	if (!gd)
		return;
	nn_workspace_free(gd->ws);
	nn_net_free(gd->grad);
	nn_net_free(gd->best);
	free(gd);
}

NN_EXPORT int nn_gd_step(nn_gd *gd)
{
	nn_net *net = gd->net;
	nn__backward_from_delta(gd->grad, gd->ws, net, gd->X);
	/* params <- params - eta * grad: every W and b in one sweep */
	cblas_daxpy((int)net->n_params, -gd->eta, gd->grad->params, 1, net->params, 1);
	nn__forward(gd->ws, net, gd->X);
	nn__output_pass(&gd->cost, &gd->correct, gd->ws, net, gd->y->data, gd->grad);
	size_t step = gd->steps++;
	if (!isfinite(gd->cost))
		return NN_EDIVERGED;
	if (!gd->has_best || gd->correct > gd->best_correct) {
		memcpy(gd->best->params, net->params, net->n_params * sizeof(double));
		gd->has_best = 1;
		gd->best_step = step;
		gd->best_correct = gd->correct;
		gd->best_cost = gd->cost;
	}
	return 0;
}

NN_EXPORT void nn_gd_result(const nn_gd *gd, nn_train_result *res)
{
	if (!gd || !res)
		return;
	*res = (nn_train_result){
		.steps_run = gd->steps,
		.best_step = gd->best_step,
		.best_correct = gd->best_correct,
		.best_accuracy = (double)gd->best_correct / (double)gd->X->cols,
		.best_cost = gd->best_cost,
		.last_cost = gd->cost,
	};
}

NN_EXPORT const nn_net *nn_gd_best(const nn_gd *gd)
{
	return gd ? gd->best : NULL;
}

NN_EXPORT int nn_train_gd(nn_net *net, const nn_matrix *X, const nn_labels *y,
			  const nn_train_options *opt, nn_train_result *res)
{
	if (!opt)
		return NN_ENULL;
	if (opt->steps == 0)
		return NN_EINVAL;
	nn_gd *gd = NULL;
	int rc = nn_gd_new(&gd, net, X, y, opt->eta);
	if (rc)
		return rc;
	for (size_t i = 0; i < opt->steps; i++) {
		rc = nn_gd_step(gd);
		if (rc)
			break;
		if (opt->every && opt->callback && i % opt->every == 0 &&
		    opt->callback(opt->user, i, (double)gd->best_correct / (double)X->cols, gd->cost))
			break;
	}
	/* Hand back the best model, also after a divergence. */
	if (gd->has_best)
		memcpy(net->params, gd->best->params, net->n_params * sizeof(double));
	nn_gd_result(gd, res);
	nn_gd_free(gd);
	return rc;
}
