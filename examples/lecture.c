/*
 * The lecture's get_data and build_model, on one random stream.
 */
#include <stdio.h>

#include "lecture.h"

const char *const ex_dataset_names[] = { "blobs", "circles", "moons", "classification", NULL };

ex_data_options ex_data_defaults(enum ex_dataset kind)
{
	ex_data_options o = { .kind = kind, .samples = 500, .cluster_std = 1.0,
			      .center_box = { -3, 3 }, .test_size = 0.2 };
	if (kind == EX_CIRCLES) {
		o.has_noise = 1;
		o.noise = 0.1;
	}
	return o;
}

void ex_data_describe(char *buf, size_t n, const ex_data_options *o)
{
	char noise[64] = "";
	if (o->has_noise)
		snprintf(noise, sizeof(noise), ", noise=%g", o->noise);
	switch (o->kind) {
	case EX_BLOBS:
		snprintf(buf, n, "make_blobs(%zu, centers=2, center_box=(%g, %g), cluster_std=%g)",
			 o->samples, o->center_box[0], o->center_box[1], o->cluster_std);
		break;
	case EX_CIRCLES:
		snprintf(buf, n, "make_circles(%zu%s)", o->samples, noise);
		break;
	case EX_MOONS:
		snprintf(buf, n, "make_moons(%zu%s)", o->samples, noise);
		break;
	case EX_CLASSIFICATION:
		snprintf(buf, n, "make_classification(%zu, n_features=2, n_redundant=0, "
			 "n_clusters_per_class=1)", o->samples);
		break;
	}
}

int ex_data_make(ex_data *d, const ex_data_options *o, nn_rng *rng)
{
	*d = (ex_data){ 0 };
	nn_matrix X = { 0 };
	nn_labels y = { 0 };
	int rc = NN_EINVAL;
	switch (o->kind) {
	case EX_BLOBS: {
		nn_blobs_options b = nn_blobs_defaults();
		b.n_samples = o->samples;
		b.n_centers = 2;
		b.cluster_std = o->cluster_std;
		b.center_box[0] = o->center_box[0];
		b.center_box[1] = o->center_box[1];
		rc = nn_make_blobs(&X, &y, &b, rng);
		break;
	}
	case EX_CIRCLES: {
		nn_circles_options c = nn_circles_defaults();
		c.n_samples = o->samples;
		c.has_noise = o->has_noise;
		c.noise = o->noise;
		rc = nn_make_circles(&X, &y, &c, rng);
		break;
	}
	case EX_MOONS: {
		nn_moons_options m = nn_moons_defaults();
		m.n_samples = o->samples;
		m.has_noise = o->has_noise;
		m.noise = o->noise;
		rc = nn_make_moons(&X, &y, &m, rng);
		break;
	}
	case EX_CLASSIFICATION: {
		/* The hands-on's make_classification(n_features=2, n_redundant=0, n_clusters_per_class=1). */
		nn_classification_options c = nn_classification_defaults();
		c.n_samples = o->samples;
		c.n_features = 2;
		c.n_redundant = 0;
		c.n_clusters_per_class = 1;
		rc = nn_make_classification(&X, &y, &c, rng);
		break;
	}
	}
	if (rc == 0) {
		nn_split_options s = nn_split_defaults();
		s.test_size = o->test_size;
		rc = nn_train_test_split(&d->train_x, &d->test_x, &d->train_y, &d->test_y, &X, &y, &s,
					 rng);
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);
	if (rc)
		ex_data_free(d);
	return rc;
}

void ex_data_free(ex_data *d)
{
	nn_matrix_free(&d->train_x);
	nn_matrix_free(&d->test_x);
	nn_labels_free(&d->train_y);
	nn_labels_free(&d->test_y);
}

int ex_model1(nn_net **net, nn_rng *rng)
{
	const size_t sizes[2] = { 2, 1 };
	int rc = nn_net_new(net, 1, sizes, NULL);
	if (rc == 0 && (rc = nn_net_init_random(*net, rng)) != 0) {
		nn_net_free(*net);
		*net = NULL;
	}
	return rc;
}

int ex_model2(nn_net **net, size_t inputs, size_t hidden, size_t outputs, nn_rng *rng)
{
	const size_t sizes[3] = { inputs, hidden, outputs };
	int rc = nn_net_new(net, 2, sizes, NULL);
	if (rc == 0 && (rc = nn_net_init_randn(*net, rng)) != 0) {
		nn_net_free(*net);
		*net = NULL;
	}
	return rc;
}
