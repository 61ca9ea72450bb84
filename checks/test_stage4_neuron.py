"""Stage 4: Neuron(nin) is tanh(w . x + b), with weights the learner's own random draws."""
from networks import check_network, check_parameters

LECTURE_WEIGHTS = [-3.0, 1.0, 6.8813735870195432]  # w1, w2, b of the lecture's neuron


def test_parameters(learner, seed):
    for nin in (1, 3, 5, 24):  # 24: enough weights to see they spread over [-1, 1]
        check_parameters(learner, "neuron", [nin], seed)


def test_lecture_neuron(learner, seed):
    """The lecture's neuron, weights set through parameters(): tanh(2*-3 + 0*1 + 6.88)."""
    check_network(learner, "neuron", [2], seed, [2.0, 0.0], inputs_as_values=True,
                  weights=LECTURE_WEIGHTS)


def test_forward_and_gradients(learner, seed):
    check_network(learner, "neuron", [3], seed, [0.5, -1.0, 2.0])
    check_network(learner, "neuron", [1], seed + 1, [-0.7])


def test_inputs_as_values_get_gradients(learner, seed):
    check_network(learner, "neuron", [3], seed, [1.5, 0.2, -0.4], inputs_as_values=True)
    check_network(learner, "neuron", [4], seed + 2, [0.1, -0.3, 0.8, -1.1],
                  inputs_as_values=True)
