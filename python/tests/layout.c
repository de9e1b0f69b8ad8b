/*
 * The layout of every struct the Python package mirrors with ctypes
 * (python/nn/_lib.py), as the compiler lays it out: one line per struct
 * ("struct NAME SIZE") and per field ("field NAME.FIELD OFFSET SIZE").
 * tests/test_layout.py holds the ctypes classes against it, so that a
 * field added to a header without the binding following fails a test
 * instead of corrupting memory.
 */
#include <stddef.h>
#include <stdio.h>

#include "nn/nn.h"
#ifdef NN_HAVE_TABLE
#include "nn/table.h"
#endif

#define S(type) printf("struct %s %zu\n", #type, sizeof(type))
#define F(type, field) \
	printf("field %s.%s %zu %zu\n", #type, #field, offsetof(type, field), \
	       sizeof(((type *)0)->field))

int main(void)
{
	S(nn_matrix); F(nn_matrix, rows); F(nn_matrix, cols); F(nn_matrix, ld);
	F(nn_matrix, data); F(nn_matrix, owner);
	S(nn_labels); F(nn_labels, n); F(nn_labels, data); F(nn_labels, owner);
	S(nn_shape); F(nn_shape, channels); F(nn_shape, height); F(nn_shape, width);
	S(nn_layer); F(nn_layer, type); F(nn_layer, units); F(nn_layer, kernel);
	F(nn_layer, stride); F(nn_layer, padding); F(nn_layer, act); F(nn_layer, rate);
	S(nn_metrics); F(nn_metrics, n); F(nn_metrics, cost); F(nn_metrics, correct);
	F(nn_metrics, accuracy); F(nn_metrics, mse); F(nn_metrics, rmse); F(nn_metrics, mae);
	F(nn_metrics, r2);
	S(nn_optim_options); F(nn_optim_options, kind); F(nn_optim_options, momentum);
	F(nn_optim_options, beta1); F(nn_optim_options, beta2); F(nn_optim_options, epsilon);
	F(nn_optim_options, l2);
	S(nn_dist); F(nn_dist, reduce); F(nn_dist, user); F(nn_dist, shard_first);
	F(nn_dist, shard_total);
	S(nn_epoch_stats); F(nn_epoch_stats, epoch); F(nn_epoch_stats, seconds);
	F(nn_epoch_stats, eta); F(nn_epoch_stats, train_cost); F(nn_epoch_stats, train_accuracy);
	F(nn_epoch_stats, val_cost); F(nn_epoch_stats, val_accuracy); F(nn_epoch_stats, train_mse);
	F(nn_epoch_stats, train_mae); F(nn_epoch_stats, train_r2); F(nn_epoch_stats, val_mse);
	F(nn_epoch_stats, val_mae); F(nn_epoch_stats, val_r2);
	S(nn_fit_options); F(nn_fit_options, optim); F(nn_fit_options, eta);
	F(nn_fit_options, schedule); F(nn_fit_options, step_epochs); F(nn_fit_options, gamma);
	F(nn_fit_options, eta_min); F(nn_fit_options, batch_size); F(nn_fit_options, epochs);
	F(nn_fit_options, shuffle); F(nn_fit_options, dropout); F(nn_fit_options, val_x);
	F(nn_fit_options, val_y); F(nn_fit_options, val_values); F(nn_fit_options, patience);
	F(nn_fit_options, resume); F(nn_fit_options, callback); F(nn_fit_options, user);
	F(nn_fit_options, dist); F(nn_fit_options, input);
	S(nn_history); F(nn_history, n); F(nn_history, epochs); F(nn_history, best_epoch);
	F(nn_history, stopped_early); F(nn_history, task);
	S(nn_progress); F(nn_progress, step); F(nn_progress, cost); F(nn_progress, best_step);
	F(nn_progress, best_correct); F(nn_progress, samples); F(nn_progress, best_accuracy);
	S(nn_train_options); F(nn_train_options, eta); F(nn_train_options, steps);
	F(nn_train_options, every); F(nn_train_options, callback); F(nn_train_options, user);
	F(nn_train_options, input); F(nn_train_options, threads); F(nn_train_options, dist);
	S(nn_train_result); F(nn_train_result, steps_run); F(nn_train_result, best_step);
	F(nn_train_result, best_correct); F(nn_train_result, best_accuracy);
	F(nn_train_result, best_cost); F(nn_train_result, last_cost);
	S(nn_model_state); F(nn_model_state, kind); F(nn_model_state, step);
	F(nn_model_state, n); F(nn_model_state, data);
	S(nn_mnist_options); F(nn_mnist_options, max_train); F(nn_mnist_options, max_test);
	F(nn_mnist_options, scale); F(nn_mnist_options, first_train);
	S(nn_mnist); F(nn_mnist, train_x); F(nn_mnist, train_y); F(nn_mnist, test_x);
	F(nn_mnist, test_y); F(nn_mnist, rows); F(nn_mnist, cols); F(nn_mnist, error);
	S(nn_blobs_options); F(nn_blobs_options, n_samples);
	F(nn_blobs_options, samples_per_center); F(nn_blobs_options, n_features);
	F(nn_blobs_options, n_centers); F(nn_blobs_options, centers);
	F(nn_blobs_options, cluster_std); F(nn_blobs_options, cluster_stds);
	F(nn_blobs_options, center_box); F(nn_blobs_options, shuffle);
	S(nn_circles_options); F(nn_circles_options, n_samples); F(nn_circles_options, n_outer);
	F(nn_circles_options, n_inner); F(nn_circles_options, shuffle);
	F(nn_circles_options, has_noise); F(nn_circles_options, noise);
	F(nn_circles_options, factor);
	S(nn_moons_options); F(nn_moons_options, n_samples); F(nn_moons_options, n_outer);
	F(nn_moons_options, n_inner); F(nn_moons_options, shuffle); F(nn_moons_options, has_noise);
	F(nn_moons_options, noise);
	S(nn_classification_options); F(nn_classification_options, n_samples);
	F(nn_classification_options, n_features); F(nn_classification_options, n_informative);
	F(nn_classification_options, n_redundant); F(nn_classification_options, n_repeated);
	F(nn_classification_options, n_classes);
	F(nn_classification_options, n_clusters_per_class);
	F(nn_classification_options, weights); F(nn_classification_options, n_weights);
	F(nn_classification_options, flip_y); F(nn_classification_options, class_sep);
	F(nn_classification_options, hypercube); F(nn_classification_options, shift);
	F(nn_classification_options, shifts); F(nn_classification_options, random_shift);
	F(nn_classification_options, scale); F(nn_classification_options, scales);
	F(nn_classification_options, random_scale); F(nn_classification_options, shuffle);
	S(nn_split_options); F(nn_split_options, test_size); F(nn_split_options, test_count);
	F(nn_split_options, train_size); F(nn_split_options, train_count);
	F(nn_split_options, shuffle); F(nn_split_options, stratify);
#ifdef NN_HAVE_TABLE
	S(nn_table_options); F(nn_table_options, delimiter); F(nn_table_options, header);
	F(nn_table_options, comment); F(nn_table_options, target); F(nn_table_options, task);
	F(nn_table_options, max_rows); F(nn_table_options, ignore);
	S(nn_table); F(nn_table, x); F(nn_table, labels); F(nn_table, y);
	F(nn_table, n_classes); F(nn_table, feature_names); F(nn_table, target_names);
	F(nn_table, class_names); F(nn_table, n_targets); F(nn_table, task); F(nn_table, error);
#endif
	return 0;
}
