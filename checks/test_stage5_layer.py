"""Stage 5: Layer(nin, nout) is nout neurons on the same input."""
from networks import check_network, check_parameters


def test_parameters(learner, seed):
    for args in ([3, 4], [2, 1], [1, 3]):
        check_parameters(learner, "layer", args, seed)


def test_forward_and_gradients(learner, seed):
    check_network(learner, "layer", [3, 4], seed, [0.5, -1.0, 2.0])
    check_network(learner, "layer", [2, 3], seed + 1, [-0.6, 0.9], inputs_as_values=True)


def test_single_output_is_a_value(learner, seed):
    """Layer(nin, 1) returns its one output itself, as in the lecture."""
    check_network(learner, "layer", [3, 1], seed, [1.0, -2.0, 0.5], inputs_as_values=True)
