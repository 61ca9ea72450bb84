"""Stage 7: the loss, zero_grad, sgd_step, and the whole training loop, step by step."""
import misconceptions as mc
import mirror
from training import LECTURE_XS, LECTURE_YS, check_train
from verdicts import CheckFailed


def test_squared_error(learner):
    ypred, ys = [0.5, -0.2, 0.9], [1.0, -1.0, -1.0]
    got = learner.run("computing squared_error(ypred, ys)", "squared_error",
                      ypred=ypred, ys=ys)
    if not got["is_value"]:
        raise CheckFailed(f"squared_error returned {mirror.show_number(got['data'])}, not a "
                          "Value: the loss must be a Value so loss.backward() works.")
    want = sum((p - y) ** 2 for p, y in zip(ypred, ys))
    context = f"squared_error(ypred={ypred}, ys={ys}) = sum of (yout - ygt)**2"
    mirror.expect_close("loss", got["data"], want, context)
    for i, (p, y) in enumerate(zip(ypred, ys)):
        mirror.expect_close(f"ypred[{i}].grad", got["grads"][i], 2 * (p - y),
                            f"{context}, after loss.backward():")


def test_zero_grad(learner):
    grads = [1.5, -2.0, 0.25]
    got = learner.run("calling zero_grad(params)", "zero_grad", grads=grads)
    if any(g != 0 for g in got["grads"]):
        only_last = got["grads"][:-1] == grads[:-1] and got["grads"][-1] == 0
        shown = ", ".join(mirror.show_number(g) for g in got["grads"])
        raise CheckFailed(f"after zero_grad(params) the grads are [{shown}] (they were "
                          f"{grads}); expected every one 0.",
                          mc.zero_only_last() if only_last else None)
    if any(d != 1.0 for d in got["data"]):
        raise CheckFailed("zero_grad(params) changed the parameters' data: only .grad "
                          "goes back to 0.")


def test_sgd_step(learner):
    data, grads, lr = [0.5, -0.3, 1.0], [0.2, -1.0, 0.5], 0.1
    got = learner.run("calling sgd_step(params, 0.1)", "sgd_step", data=data, grads=grads,
                      lr=lr)
    for i, (d, g) in enumerate(zip(data, grads)):
        if not mirror.close(got["data"][i], d - lr * g):
            flipped = all(mirror.close(x, d + lr * g) for x, d, g in zip(got["data"], data, grads))
            raise CheckFailed(f"sgd_step with data {d:g}, grad {g:g}, lr {lr:g}: "
                              "p.data -= lr * p.grad\n"
                              + mirror.mismatch_line(f"params[{i}].data", d - lr * g,
                                                     got["data"][i]),
                              mc.sign_flipped() if flipped else None)


def test_train_first_step(learner, seed):
    check_train(learner, [3, 4, 4, 1], seed, LECTURE_XS, LECTURE_YS, 1, 0.05,
                "the lecture's data")


def test_train_lecture_dataset(learner, seed):
    check_train(learner, [3, 4, 4, 1], seed, LECTURE_XS, LECTURE_YS, 12, 0.05,
                "the lecture's data")


def test_train_another_network(learner, seed):
    xs = [[0.5, -1.0], [-0.3, 0.8], [1.2, 0.1]]
    ys = [0.5, -0.5, 0.2]
    check_train(learner, [2, 3, 1], seed + 1, xs, ys, 8, 0.1, "a small dataset")
