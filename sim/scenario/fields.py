"""Field metadata: every number a rule uses is declared here with a unit, a default and a source.

A parameter is a pydantic field built by :func:`P`. Its unit and source go into the JSON Schema
(``x-unit``, ``x-source``) and :func:`parameter_table` lists them all, so a reviewer can read every
default beside its grounding. "FACTS §N [KEY]" refers to section N and key KEY of ``docs/sources.md``;
"assumption" marks a value that no source pins down (see ``docs/calibration.md`` for the ones that were calibrated).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["P", "Strict", "parameter_table"]


class Strict(BaseModel):
    """Base for every scenario section: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_numbers(cls, data: Any) -> Any:
        """A number field takes a number: not ``true`` (pydantic would read 1) nor text such as ``"5"``.

        Such a value is swapped for a marker that fails the field's own check, so the error names the field.
        """
        if not isinstance(data, dict):
            return data
        out = data
        for name, shape in _numeric_fields(cls).items():
            v = data.get(name)
            if shape == "list" and isinstance(v, list) and any(isinstance(x, bool | str) for x in v):
                new: Any = [_NotANumber() if isinstance(x, bool | str) else x for x in v]
            elif shape == "dict" and isinstance(v, dict) and any(isinstance(x, bool | str) for x in v.values()):
                new = {k: _NotANumber() if isinstance(x, bool | str) else x for k, x in v.items()}
            elif shape == "scalar" and isinstance(v, bool | str):
                new = _NotANumber()
            else:
                continue
            out = {**out, name: new}
        return out


class _NotANumber:
    """Stands in for ``true`` or text given to a number field: no number validator accepts it."""


_NUMERIC_CACHE: dict[type, dict[str, str]] = {}


def _numeric_fields(cls: type[BaseModel]) -> dict[str, str]:
    """Fields of ``cls`` that hold numbers: ``scalar``, ``list`` (of numbers) or ``dict`` (of numbers)."""
    if cls not in _NUMERIC_CACHE:
        def shape(ann: Any) -> str | None:
            if typing.get_origin(ann) is typing.Annotated:
                ann = typing.get_args(ann)[0]
            args = [typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a
                    for a in typing.get_args(ann) if a is not type(None)]
            origin = typing.get_origin(ann)
            if ann in (int, float):
                return "scalar"
            if origin in (typing.Union, types.UnionType) and len(args) == 1:
                return shape(args[0])
            if origin is list and args and args[0] in (int, float):
                return "list"
            if origin is dict and len(args) == 2 and args[1] in (int, float):
                return "dict"
            return None

        _NUMERIC_CACHE[cls] = {n: sh for n, f in cls.model_fields.items() if (sh := shape(f.annotation))}
    return _NUMERIC_CACHE[cls]


def P(
    default: Any,
    unit: str,
    description: str,
    source: str,
    *,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """A documented parameter field.

    Args:
        default: the default value.
        unit: the unit, e.g. ``"persons"``, ``"weeks"``, ``"probability"``, ``"logit per unit"``.
        description: what the number means in the rule that uses it.
        source: a FACTS.md reference (e.g. ``"FACTS §3 [FB]"``) or the word ``"assumption"``.
        ge, le, gt, lt: bounds, checked on load.
    """
    if not source:
        raise ValueError("every parameter needs a source or 'assumption'")
    return Field(
        default,
        description=description,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        json_schema_extra={"x-unit": unit, "x-source": source},
    )


def field_bounds(field: Any) -> str:
    """A field's bounds as text: ``[0, 1]``, ``>= 0``, ``(0, 1]``, or ``""`` when it has none."""
    lo = hi = ""
    for m in getattr(field, "metadata", []):
        for attr, side, text in (("ge", "lo", "[{}"), ("gt", "lo", "({}"), ("le", "hi", "{}]"), ("lt", "hi", "{})")):
            v = getattr(m, attr, None)
            if v is not None:
                if side == "lo":
                    lo = text.format(f"{v:g}" if isinstance(v, int | float) else v)
                else:
                    hi = text.format(f"{v:g}" if isinstance(v, int | float) else v)
    if lo and hi:
        return f"{lo}, {hi}"
    if lo:
        return (">= " if lo.startswith("[") else "> ") + lo[1:]
    if hi:
        return ("<= " if hi.endswith("]") else "< ") + hi[:-1]
    return ""


def parameter_table(model: type[BaseModel], prefix: str = "") -> list[dict[str, Any]]:
    """Every documented parameter of ``model`` and its nested sections, one dict per field.

    Fields declared with :func:`P` carry a unit and a source; structural fields (lists, nested
    sections, names) do not and are descended into or skipped.
    """
    rows: list[dict[str, Any]] = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        path = f"{prefix}{name}"
        ann = field.annotation
        if "x-unit" in extra:
            rows.append(
                {
                    "path": path,
                    "default": field.default,
                    "unit": extra["x-unit"],
                    "source": extra["x-source"],
                    "description": field.description or "",
                    "bounds": field_bounds(field),
                }
            )
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.extend(parameter_table(ann, prefix=path + "."))
    return rows
