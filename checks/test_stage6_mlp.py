"""Stage 6: MLP(nin, nouts) feeds each layer's output into the next."""
from networks import check_network, check_parameters

LECTURE_X = [2.0, 3.0, -1.0]


def test_parameters(learner, seed):
    for args in ([3, [4, 4, 1]], [2, [3, 2]], [1, [2, 1]]):
        check_parameters(learner, "mlp", args, seed)


def test_lecture_mlp(learner, seed):
    """The lecture's MLP(3, [4, 4, 1]) on its first input."""
    check_network(learner, "mlp", [3, [4, 4, 1]], seed, LECTURE_X)


def test_forward_and_gradients(learner, seed):
    check_network(learner, "mlp", [2, [3, 2]], seed, [0.4, -0.9], inputs_as_values=True)
    check_network(learner, "mlp", [1, [2, 1]], seed + 1, [0.75], inputs_as_values=True)
    check_network(learner, "mlp", [4, [3, 3, 2, 1]], seed + 2, [0.1, -0.2, 0.3, -0.4])
