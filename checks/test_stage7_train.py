"""Stage 7: the loss, zero_grad, sgd_step, and the whole training loop, step by step."""
import misconceptions as mc
import mirror
from training import LECTURE_XS, LECTURE_YS, check_train
from verdicts import CheckFailed


LOSS_AT = ([0.5, -0.2, 0.9], [1.0, -1.0, -1.0])  # ypred, ys
LOSS_AGAIN = ([-0.3, 0.8, 0.35, -0.6], [0.5, 1.0, -1.0, -0.25])  # to confirm a name


def test_squared_error(learner):
    ypred, ys = LOSS_AT
    got = learner.run("computing squared_error(ypred, ys)", "squared_error",
                      ypred=ypred, ys=ys)
    if not got["is_value"]:
        raise CheckFailed(f"squared_error returned {mirror.show_number(got['data'])}, not a "
                          "Value: the loss must be a Value so loss.backward() works.")
    want = sum((p - y) ** 2 for p, y in zip(ypred, ys))
    context = f"squared_error(ypred={ypred}, ys={ys}) = sum of (yout - ygt)**2"
    mirror.expect_close("loss", got["data"], want, context,
                        diagnose=lambda: confirmed_loss_diagnosis(learner, got))
    for i, (p, y) in enumerate(zip(ypred, ys)):
        mirror.expect_close(f"ypred[{i}].grad", got["grads"][i], 2 * (p - y),
                            f"{context}, after loss.backward():")


def loss_candidates(ypred, ys):
    """The classic wrong losses: (kind, loss, d loss / d ypred[i] for each i)."""
    diffs = [p - y for p, y in zip(ypred, ys)]
    n = len(diffs)
    yield "not squared", sum(diffs), [1.0] * n
    yield "not squared", -sum(diffs), [-1.0] * n
    yield "absolute", sum(abs(d) for d in diffs), [1.0 if d > 0 else -1.0 for d in diffs]
    yield "averaged", sum(d * d for d in diffs) / n, [2 * d / n for d in diffs]
    for left_out in range(n):
        yield ("missing an example", sum(d * d for i, d in enumerate(diffs) if i != left_out),
               [0.0 if i == left_out else 2 * d for i, d in enumerate(diffs)])


def loss_kind(ypred, ys, got):
    """The one classic mistake that gives this loss and its grads, or None."""
    fits = {kind for kind, loss, grads in loss_candidates(ypred, ys)
            if mirror.close(got["data"], loss)
            and all(mirror.close(g, w) for g, w in zip(got["grads"], grads))}
    return fits.pop() if len(fits) == 1 else None


def confirmed_loss_diagnosis(learner, got):
    """Name a wrong loss only when the same mistake, alone, explains it at two sets of
    values (four examples the second time)."""
    kind = loss_kind(*LOSS_AT, got)
    if kind is None:
        return None
    again = learner.experiment("squared_error", ypred=LOSS_AGAIN[0], ys=LOSS_AGAIN[1])
    if not again or not again.get("is_value") or loss_kind(*LOSS_AGAIN, again) != kind:
        return None
    return mc.loss_not_squared(kind)


def test_zero_grad(learner):
    grads = [1.5, -2.0, 0.25]
    got = learner.run("calling zero_grad(params)", "zero_grad", grads=grads)
    data_cleared = all(d == 0 for d in got["data"])
    if any(g != 0 for g in got["grads"]):
        only_last = got["grads"][:-1] == grads[:-1] and got["grads"][-1] == 0
        set_none = all(isinstance(g, dict) and g.get("not_a_number") == "NoneType"
                       for g in got["grads"])
        shown = ", ".join(mirror.show_number(g) for g in got["grads"])
        name = mc.zero_only_last() if only_last else mc.zero_grad_sets_none() if set_none \
            else mc.zero_grad_clears_data() if data_cleared and got["grads"] == grads \
            else mc.zero_grad_changes_nothing() if got["grads"] == grads and \
            all(d == 1.0 for d in got["data"]) else None
        raise CheckFailed(f"after zero_grad(params) the grads are [{shown}] (they were "
                          f"{grads}); expected every one 0.", name)
    if any(d != 1.0 for d in got["data"]):
        raise CheckFailed("zero_grad(params) changed the parameters' data: only .grad "
                          "goes back to 0.", mc.zero_grad_clears_data() if data_cleared else None)


def test_sgd_step(learner):
    data, grads, lr = [0.5, -0.3, 1.0], [0.2, -1.0, 0.5], 0.1
    got = learner.run("calling sgd_step(params, 0.1)", "sgd_step", data=data, grads=grads,
                      lr=lr)
    for i, (d, g) in enumerate(zip(data, grads)):
        if not mirror.close(got["data"][i], d - lr * g):
            flipped = all(mirror.close(x, d + lr * g) for x, d, g in zip(got["data"], data, grads))
            # p.grad -= lr * p.grad: the data stay, the grads take the step
            on_grad = got["data"] == data and all(
                mirror.close(x, g - lr * g) for x, g in zip(got["grads"], grads))
            raise CheckFailed(f"sgd_step with data {d:g}, grad {g:g}, lr {lr:g}: "
                              "p.data -= lr * p.grad\n"
                              + mirror.mismatch_line(f"params[{i}].data", d - lr * g,
                                                     got["data"][i]),
                              mc.sign_flipped() if flipped else
                              mc.update_on_grad() if on_grad else None)


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
