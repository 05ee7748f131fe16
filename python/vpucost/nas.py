"""The expected latency of a differentiable search and its gradient.

For architecture parameters alpha (one vector per searchable position) the
expected latency is ``fixed_ms + sum_p softmax(alpha_p) . ms_p`` over a
:class:`vpucost.LatencyTable`, computed in C++ (nas/expected_latency.hpp).
Given torch tensors it is a ``torch.autograd.Function``: the loss of a
ProxylessNAS-style search backpropagates into alpha.
"""
import numpy as np

from . import _vpucost


def _as_lists(alphas):
    return [np.asarray(a, dtype=np.float64).reshape(-1).tolist() for a in alphas]


def _torch_function():
    import torch

    class ExpectedLatency(torch.autograd.Function):
        @staticmethod
        def forward(ctx, table, *alphas):
            ms, grad, _ = _vpucost._expected_latency(
                table, _as_lists(a.detach().cpu() for a in alphas))
            ctx.grads = [torch.tensor(g, dtype=a.dtype, device=a.device)
                         for g, a in zip(grad, alphas)]
            return torch.tensor(ms, dtype=alphas[0].dtype, device=alphas[0].device)

        @staticmethod
        def backward(ctx, grad_output):
            return (None, *(grad_output * g for g in ctx.grads))

    return ExpectedLatency


_function = None


def expected_latency(table, alphas):
    """E[latency] in ms over ``table`` for architecture parameters ``alphas``
    (a sequence with one vector per position, as many entries as the
    position's candidates).

    With torch tensors: a 0-d tensor that backpropagates into ``alphas``.
    Otherwise: ``(ms, grads)`` with ``grads`` one numpy array per position.
    """
    alphas = list(alphas)
    if alphas and type(alphas[0]).__module__.startswith("torch"):
        global _function
        if _function is None:
            _function = _torch_function()
        return _function.apply(table, *alphas)
    ms, grad, _ = _vpucost._expected_latency(table, _as_lists(alphas))
    return ms, [np.asarray(g) for g in grad]
