"""Field metadata: every number a rule uses is declared here with a unit, a default and a source.

A parameter is a pydantic field built by :func:`P`. Its unit and source go into the JSON Schema
(``x-unit``, ``x-source``) and :func:`parameter_table` lists them all, so a reviewer can read every
default beside its grounding. "FACTS" refers to ``shared/grounding/FACTS.md``; "assumption" marks a value
that no source pins down (see ``docs/calibration.md`` for the ones that were calibrated).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["P", "Strict", "parameter_table"]


class Strict(BaseModel):
    """Base for every scenario section: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


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
                }
            )
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.extend(parameter_table(ann, prefix=path + "."))
    return rows
