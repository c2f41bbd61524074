"""Extensions of moto for the autoheal sandbox (installed by launcher.py).

moto 5.2.5 models Auto Scaling groups well but lacks what the operator's launch gate needs. This module adds
only that, on top of moto's own backend, instead of faking the cloud:
- (none yet)
"""


def install():
    """Patches moto's Auto Scaling backend and responses. Safe to call once per process."""
