"""Shapes given on the command line become declarations (SPEC §2)."""

import pytest

from notation.declarations import OptionError, from_options
from notation.emit.algebra import algebra
from notation.nodes import Declare, Name


def test_sizes_declare_layers_in_order():
    assert [algebra(d) for d in from_options(sizes="3,4,1")] == ["l0 : 1×3", "l1 : 1×4", "l2 : 1×1"]


def test_batch_replaces_the_single_example():
    assert [algebra(d) for d in from_options(sizes="784,40", batch="b")] == [
        "l0 : b×784", "l1 : b×40"]
    assert from_options(sizes="3", batch="100") == (Declare(Name("l", "0"), (100, 3)),)


def test_dims_name_layers_or_full_shapes():
    decls = from_options(dims="l0=3,W0=3x4,l_{out}=n_in")
    assert [algebra(d) for d in decls] == ["l0 : 1×3", "W0 : 3×4", "l_{out} : 1×n_{in}"]


def test_dims_override_sizes_for_the_same_name():
    decls = from_options(sizes="3,4", dims="l1=5")
    assert [algebra(d) for d in decls] == ["l0 : 1×3", "l1 : 1×5"]


@pytest.mark.parametrize("kwargs", [
    {"sizes": "3,,1"}, {"sizes": "3,a-b"}, {"sizes": "0,4"}, {"dims": "l0"}, {"dims": "3=4"},
    {"dims": "l0=1x2x3"}, {"batch": "-1"}, {"sizes": "9" * 30},
])
def test_malformed_options_are_option_errors(kwargs):
    with pytest.raises(OptionError):
        from_options(**kwargs)
