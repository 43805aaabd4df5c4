"""Reference numbers for tests/Schedulers.Tests/Exactness (issue #14 items 1-10), from PyTorch.

Run with Debian's python3-torch:  /usr/bin/python3 tools/schedulers/exactness_cases.py
Each line is `case: values`; the tests quote them. Everything here behaves the same in PyTorch 1.13 and
current PyTorch (checked against torch/optim/lr_scheduler.py), except where a comment says otherwise.
"""
import warnings
import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

warnings.filterwarnings("ignore")  # step(epoch) is deprecated but still the documented SGDR form


def sgd(lr=0.1, momentum=0.0, groups=1):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(groups)]
    return SGD([{"params": [p]} for p in params], lr=lr, momentum=momentum)


def lr(opt, g=0):
    return opt.param_groups[g]["lr"]


print("torch", torch.__version__)

# 1. step(epoch) then step(): continues after the jump.
o = sgd(0.1); s = S.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2, eta_min=0.0)
for _ in range(20): s.step()
s.step(26); a = lr(o); s.step()
print("sgdr_step26_then_step:", repr(a), repr(lr(o)))
o = sgd(0.1); s = S.StepLR(o, 5, 0.5); s.step(12); a = lr(o); s.step()
print("steplr_step12_then_step:", repr(a), repr(lr(o)))

# 2. OneCycleLR(epochs=5, steps_per_epoch=10): the whole trajectory (peak at step 14).
o = sgd(0.1, momentum=0.9); s = S.OneCycleLR(o, max_lr=1.0, epochs=5, steps_per_epoch=10)
tr = [lr(o)]; mo = [o.param_groups[0]["momentum"]]
for _ in range(50): o.step(); s.step(); tr.append(lr(o)); mo.append(o.param_groups[0]["momentum"])
print("onecycle_5x10_lr:", " ".join(repr(v) for v in tr))
print("onecycle_5x10_argmax:", max(range(51), key=lambda k: tr[k]))

# 5. ChainedScheduler: CosineAnnealingLR(T_max=10, eta_min=0.01) then ExponentialLR(0.9), base 0.1.
o = sgd(0.1)
s = S.ChainedScheduler([S.CosineAnnealingLR(o, T_max=10, eta_min=0.01), S.ExponentialLR(o, gamma=0.9)])
tr = [lr(o)]
for _ in range(25): o.step(); s.step(); tr.append(lr(o))
print("chained_cos_exp:", " ".join(repr(v) for v in tr))
# ConstantLR(0.1, 2) then ExponentialLR(0.9) (PyTorch's docstring example), base 1.
o = sgd(1.0)
s = S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2), S.ExponentialLR(o, gamma=0.9)])
tr = [lr(o)]
for _ in range(5): o.step(); s.step(); tr.append(lr(o))
print("chained_const_exp:", " ".join(repr(v) for v in tr))

# 6. ConstantLR defaults; MultiStepLR with a repeated milestone.
o = sgd(0.1); s = S.ConstantLR(o); tr = [lr(o)]
for _ in range(7): o.step(); s.step(); tr.append(lr(o))
print("constantlr_defaults:", " ".join(repr(v) for v in tr))
o = sgd(0.1); s = S.MultiStepLR(o, milestones=[10, 10, 25], gamma=0.1); tr = [lr(o)]
for _ in range(26): o.step(); s.step(); tr.append(lr(o))
print("multistep_10_10_25: t9", repr(tr[9]), "t10", repr(tr[10]), "t25", repr(tr[25]))

# 8. ReduceLROnPlateau: NaN is a bad epoch (patience 1: the second bad report cuts).
o = sgd(0.1); s = S.ReduceLROnPlateau(o, patience=1, factor=0.5)
s.step(1.0); s.step(float("nan")); a = lr(o); s.step(float("nan"))
print("plateau_nan:", repr(a), repr(lr(o)), "best", s.best, "bad", s.num_bad_epochs)
