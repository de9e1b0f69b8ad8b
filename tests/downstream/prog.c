/*
 * A downstream program, built against an installed nn through pkg-config:
 * a single sigmoid neuron learns the OR gate by gradient descent.
 * Prints the network's prediction for each input, then its accuracy.
 */
#include <stdio.h>

#include <nn/nn.h>

int main(void)
{
	double x[] = { 0, 0, 0, 1, 1, 0, 1, 1 }; /* 2 x 4, one sample per column */
	int labels[] = { 0, 1, 1, 1 };
	nn_matrix X = nn_matrix_view(x, 2, 4, 2);
	nn_labels y = { .n = 4, .data = labels, .owner = 0 };
	const size_t sizes[] = { 2, 1 };
	nn_net *net = NULL;
	nn_rng *rng = NULL;
	nn_workspace *ws = NULL;
	int pred[4], rc;

	if ((rc = nn_rng_new(&rng, 0)) || (rc = nn_net_new(&net, 1, sizes, NULL)) ||
	    (rc = nn_net_init_random(net, rng)))
		goto out;
	nn_train_options opt = { .eta = 0.5, .steps = 2000 };
	nn_train_result res;
	if ((rc = nn_train_gd(net, &res, &X, &y, &opt)) || (rc = nn_workspace_new(&ws, net, 4)) ||
	    (rc = nn_predict(pred, ws, net, &X)))
		goto out;
	printf("predictions: %d %d %d %d\n", pred[0], pred[1], pred[2], pred[3]);
	printf("accuracy: %.4f\n", res.best_accuracy);
out:
	if (rc)
		fprintf(stderr, "prog: %s\n", nn_strerror(rc));
	nn_workspace_free(ws);
	nn_net_free(net);
	nn_rng_free(rng);
	return rc ? 1 : 0;
}
