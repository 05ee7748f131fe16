"""Paths the Python package tests share: the source tree's models, nets and
samples, the CLI they are compared with, and the package under test."""
import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("VPUCOST_SOURCE_DIR",
                                     pathlib.Path(__file__).resolve().parents[2]))
VPUCOST_BIN = os.environ.get("VPUCOST_BIN", str(SOURCE / "build" / "tools" / "vpucost"))


@pytest.fixture(scope="session")
def source():
    return SOURCE


@pytest.fixture(scope="session")
def cli():
    """Runs the vpucost CLI; returns its stdout (fails the test on exit != 0)."""
    def run(*args):
        done = subprocess.run([VPUCOST_BIN, *map(str, args)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout
    return run


@pytest.fixture(scope="session")
def model_4_0():
    import vpucost
    return vpucost.load_model(str(SOURCE / "models" / "vpu_4_0.h5"))


@pytest.fixture(scope="session")
def model_2_7():
    import vpucost
    return vpucost.load_model(str(SOURCE / "models" / "vpu_2_7.h5"))
