"""vpucost.expected_latency against torch's own autograd on the same table,
and vpucost.evolutionary_search with a Python callable."""
import numpy as np
import pytest

import vpucost


@pytest.fixture(scope="module")
def table(model_4_0):
    return vpucost.build_lut("proxyless", 224, model=model_4_0)


def test_expected_latency_and_gradient_match_torch_autograd(table):
    torch = pytest.importorskip("torch")
    gen = torch.Generator().manual_seed(3)
    alphas = [torch.randn(len(ms), generator=gen, dtype=torch.float64, requires_grad=True)
              for ms in table.block_ms]
    ours = vpucost.expected_latency(table, alphas)
    ours.backward()
    our_grads = [a.grad.clone() for a in alphas]

    for a in alphas:
        a.grad = None
    reference = table.fixed_ms + sum(
        (torch.softmax(a, 0) * torch.tensor(ms, dtype=torch.float64)).sum()
        for a, ms in zip(alphas, table.block_ms))
    reference.backward()
    assert ours.item() == pytest.approx(reference.item(), rel=1e-12)
    for mine, theirs in zip(our_grads, alphas):
        torch.testing.assert_close(mine, theirs.grad, rtol=1e-9, atol=1e-15)


def test_expected_latency_in_a_loss_trains_towards_faster_ops(table):
    torch = pytest.importorskip("torch")
    alphas = [torch.zeros(len(ms), dtype=torch.float64, requires_grad=True)
              for ms in table.block_ms]
    optimiser = torch.optim.SGD(alphas, lr=50.0)
    start = vpucost.expected_latency(table, alphas).item()
    for _ in range(20):
        optimiser.zero_grad()
        loss = vpucost.expected_latency(table, alphas)
        loss.backward()
        optimiser.step()
    assert vpucost.expected_latency(table, alphas).item() < start


def test_expected_latency_without_torch_returns_numpy_gradients(table):
    alphas = [np.zeros(len(ms)) for ms in table.block_ms]
    ms, grads = vpucost.expected_latency(table, alphas)
    uniform = table.fixed_ms + sum(np.mean(m) for m in table.block_ms)
    assert ms == pytest.approx(uniform)
    assert [g.shape for g in grads] == [a.shape for a in alphas]
    with pytest.raises(vpucost.Error):
        vpucost.expected_latency(table, alphas[:-1])


def test_evolution_with_a_python_evaluator(table):
    seen = []

    def score(arch, context):
        seen.append(context["latency_ms"])
        return float(sum(arch))  # prefers later candidates (larger kernels and expansions)

    limit = (table.latency_ms([0] * len(table.block_ms)) + 0.02)
    kwargs = dict(latency_limit_ms=limit, population=20, generations=3, mutation_count=10,
                  crossover_count=10, seed=7)
    result = vpucost.evolutionary_search(table, score, **kwargs)
    assert result["evaluator"] == "Python callable"
    assert result["best"]["latency_ms"] <= limit
    assert result["best"]["score"] == max(a["score"] for a in result["top"])
    assert all(ms <= limit for ms in seen)
    again = vpucost.evolutionary_search(table, score, **kwargs)
    assert again["best"]["arch"] == result["best"]["arch"]  # deterministic for a seed


def test_evolution_evaluator_exceptions_reach_the_caller(table):
    def broken(arch, context):
        raise KeyError("accuracy predictor missing")

    with pytest.raises(KeyError, match="accuracy predictor missing"):
        vpucost.evolutionary_search(table, broken, latency_limit_ms=1.0, population=4,
                                    generations=1, mutation_count=2, crossover_count=2)
    with pytest.raises(vpucost.Error, match="finite"):
        vpucost.evolutionary_search(table, lambda a, c: float("nan"), latency_limit_ms=1.0,
                                    population=4, generations=1, mutation_count=2,
                                    crossover_count=2)


def test_evolution_with_the_mac_proxy(table):
    result = vpucost.evolutionary_search(table, None, latency_limit_ms=1.0, population=10,
                                         generations=2, mutation_count=5, crossover_count=5)
    assert result["evaluated"] >= 10
