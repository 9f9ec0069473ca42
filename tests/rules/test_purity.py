import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import issuer.rules

ALLOWED = {"collections", "dataclasses", "decimal", "enum", "math", "typing", "issuer"}
MODULES = sorted(Path(issuer.rules.__file__).parent.glob("*.py"))


def imported_roots(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module.split(".")[0]


def imported_project_modules(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("issuer"):
            yield node.module


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_rules_import_only_pure_standard_modules(path):
    assert set(imported_roots(path)) <= ALLOWED
    assert set(imported_roots(path)) - {"issuer"} <= sys.stdlib_module_names


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_rules_import_nothing_of_the_project_outside_the_rules(path):
    for module in imported_project_modules(path):
        assert module == "issuer.rules" or module.startswith("issuer.rules.")


PUBLIC_API = {
    "MAX_AMOUNT", "AccountState", "AccumulativeRules", "CashbackRules", "Delta", "DiscountRules",
    "Kind", "NegativeBalance", "Order", "OrderRefused", "Outcome", "ReversalRefused", "Rules",
    "RulesError", "RulesInvalid", "StampRules", "Tier", "apply_delta", "fold", "kind_of",
    "next_tier", "parse_rules", "percent_of", "price_order", "reverse", "rules_to_json",
    "tier_index", "tier_of",
}  # fmt: skip


def test_the_public_api_is_exported_from_the_package():
    assert set(issuer.rules.__all__) == PUBLIC_API
    assert all(hasattr(issuer.rules, name) for name in PUBLIC_API)
