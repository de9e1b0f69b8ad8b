/*
 * What distributed runs share before their first step: every process must
 * learn whether any process failed its checks, and whether all agree on the
 * network and the run's settings -- else one would wait in a collective
 * that another never reaches. One reduction (a maximum) over three values
 * answers both: the failure flag, and a hash h of what must agree taken as
 * h and -h, so that max(h) == -max(-h) exactly when every h is equal.
 */
#include <string.h>

#include "nn_internal.h"

uint64_t nn__net_fingerprint(const nn_net *net, uint64_t h)
{
	h = nn__hash(h, &net->n_layers, sizeof(net->n_layers));
	h = nn__hash(h, net->sizes, (net->n_layers + 1) * sizeof(*net->sizes));
	h = nn__hash(h, net->acts, net->n_layers * sizeof(*net->acts));
	for (size_t l = 0; l < net->n_layers; l++) { /* field by field: no padding bytes */
		const nn__layer *L = &net->layer[l];
		size_t v[6] = { (size_t)L->type, L->k, L->stride, L->pad_top, L->pad_left, L->n_w };
		h = nn__hash(h, v, sizeof(v));
		h = nn__hash(h, &L->rate, sizeof(L->rate));
	}
	h = nn__hash(h, &net->cost, sizeof(net->cost));
	h = nn__hash(h, &net->f32, sizeof(net->f32));
	return nn__hash(h, net->params, net->n_params * nn__elem(net));
}

int nn__dist_start(const nn_dist *d, int rc, uint64_t fingerprint)
{
	/* 52 bits: exactly representable as doubles, so the maximum is exact */
	double h = (double)(fingerprint >> 12);
	double buf[3] = { rc ? 1.0 : 0.0, rc ? 0.0 : h, rc ? 0.0 : -h };
	int rr = d->reduce(d->user, buf, 3, NN_REDUCE_MAX);
	if (rc)
		return rc;
	if (rr)
		return rr;
	if (buf[0] > 0)
		return nn__errorf(NN_EPEER, "another process failed before training (its data or "
				  "its options)");
	if (buf[1] != -buf[2])
		return nn__errorf(NN_EPEER, "the processes disagree on the network (layers, "
				  "activations, cost, initial weights) or on the run's settings (step "
				  "size, steps, epochs, batch size, optimiser, shuffling seed)");
	return 0;
}

int nn__dist_stop(const nn_dist *d, int stop, int *all)
{
	double s = stop ? 1.0 : 0.0;
	int rc = d->reduce(d->user, &s, 1, NN_REDUCE_MAX);
	*all = s > 0;
	return rc;
}
