"""The first line of a resource module's typed constants (`Endpoint`, `Pager`, `Items`):
annotated where it fits, else the layout black and ruff agree on (the slow test
`tests/format` checks that the formatters agree on both)."""

from __future__ import annotations

import ast

from oagen.plan.common import generic_opening, opening_overflows


def test_a_constant_is_annotated_while_its_first_line_fits() -> None:
    name = "_" + "N" * 58  # 59 characters: `name: Endpoint[Model] = Endpoint(` is 88
    assert not opening_overflows(name, "Endpoint", "Model")
    assert generic_opening(name, "Endpoint", "Model") == f"{name}: Endpoint[Model] = Endpoint("


def test_a_constant_whose_first_line_does_not_fit_is_declared_on_a_line_of_its_own() -> None:
    name = "_" + "N" * 59
    assert opening_overflows(name, "Endpoint", "Model")
    opening = generic_opening(name, "Endpoint", "Model")
    assert opening == f"{name}: Endpoint[Model]\n{name} = Endpoint("
    declaration, assignment = ast.parse(opening + ")").body
    assert isinstance(declaration, ast.AnnAssign) and declaration.value is None
    assert isinstance(assignment, ast.Assign)  # `Endpoint(...)`: nothing evaluated at import
    assert isinstance(assignment.value, ast.Call) and isinstance(assignment.value.func, ast.Name)
