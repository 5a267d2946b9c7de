"""The typed plugin registry."""

import pytest

from slmguard.core.registry import Registry


def test_register_decorator_adds_and_returns_the_item():
    reg: Registry[object] = Registry("widget")

    @reg.register("b")
    def b():
        return "b"

    reg.add("a", 1)
    assert b() == "b"
    assert reg.get("b") is b and reg.get("a") == 1
    assert reg.names() == ["b", "a"]  # registration order
    assert list(reg.items()) == [("b", b), ("a", 1)]
    assert "a" in reg and "c" not in reg
    assert len(reg) == 2


def test_registering_a_name_twice_fails_and_keeps_the_first():
    reg: Registry[int] = Registry("widget")
    reg.add("x", 1)
    with pytest.raises(ValueError, match="widget 'x' is registered twice"):
        reg.add("x", 2)
    with pytest.raises(ValueError):
        reg.register("x")(3)
    assert reg.get("x") == 1


def test_unknown_name_lists_the_known_names():
    reg: Registry[int] = Registry("detector")
    with pytest.raises(KeyError, match=r"unknown detector 'q' \(known: none\)"):
        reg.get("q")
    reg.add("zeta", 1)
    reg.add("alpha", 2)
    with pytest.raises(KeyError, match=r"unknown detector 'q' \(known: alpha, zeta\)"):
        reg.get("q")


def test_items_is_a_snapshot():
    reg: Registry[int] = Registry("widget")
    reg.add("a", 1)
    items = reg.items()
    reg.add("b", 2)
    assert list(items) == [("a", 1)]
