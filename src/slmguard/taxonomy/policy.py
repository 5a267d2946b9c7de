"""Custom policies: a YAML file that replaces or extends the default taxonomy.

```yaml
name: my-policy
extends: default          # keep the 12 default hazards and add (or override) these; omit to replace
categories:
  - code: gambling
    name: Gambling
    description: Content that promotes or facilitates online gambling ...
    examples: ["Which casino site gives the best bonus?"]
    threshold: 0.6        # optional, strictly between 0 and 1
```

Errors name the file, the 1-based line of the offending field and its path (`categories[1].threshold`):
the file is composed into a PyYAML node tree, which keeps line marks, and the failing field's path
is walked down that tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Mapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from slmguard.core.errors import PolicyError
from slmguard.core.yaml_lines import Loc, dotted, node_line
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Hazard, Taxonomy

CODE_PATTERN = r"^[a-z][a-z0-9_]{1,31}$"

class CategorySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True, frozen=True)

    code: str = Field(pattern=CODE_PATTERN)
    name: str | None = Field(default=None, min_length=1)
    description: str = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)
    threshold: float | None = Field(default=None, gt=0.0, lt=1.0)


class PolicySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True, frozen=True)

    name: str | None = Field(default=None, min_length=1)
    extends: Literal["default", "none"] | None = None
    categories: list[CategorySpec] = Field(min_length=1)


def load_policy(path: str | Path) -> Taxonomy:
    """Read a policy file into a Taxonomy; raises PolicyError naming the file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError("policy file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyError(f"cannot read policy file: {e}", path=path) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        reason = f"{e.problem or 'invalid YAML'}{f' ({e.context})' if e.context else ''}"
        raise PolicyError(f"YAML syntax error: {reason}", path=path,
                          line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise PolicyError(f"YAML syntax error: {e}", path=path) from None
    if root is None:
        raise PolicyError("policy file is empty", path=path, line=1)
    _reject_duplicate_keys(root, path)
    return _build(data, default_name=path.stem, path=path, root=root)


def policy_from_dict(data: Any, *, source: str | None = None) -> Taxonomy:
    """Build a Taxonomy from an in-memory policy; errors carry the field path but no line."""
    return _build(data, default_name="custom", path=source, root=None)


def _build(data: Any, *, default_name: str, path: str | Path | None, root: yaml.Node | None) -> Taxonomy:
    if not isinstance(data, Mapping):
        raise PolicyError(f"a policy must be a mapping with 'categories', not {_kind(data)}", path=path,
                          line=node_line(root, ()))
    try:
        spec = PolicySpec.model_validate(data)
    except ValidationError as e:
        raise _policy_error(e, path, root) from None
    seen: dict[str, int] = {}
    for i, category in enumerate(spec.categories):
        if category.code in seen:
            loc: Loc = ("categories", i, "code")
            raise PolicyError(f"code '{category.code}' repeats categories[{seen[category.code]}]", path=path,
                              line=node_line(root, loc), field=dotted(loc))
        seen[category.code] = i
    return _to_taxonomy(spec, default_name)


def _to_taxonomy(spec: PolicySpec, default_name: str) -> Taxonomy:
    hazards = {h.code: h for h in DEFAULT_TAXONOMY.hazards} if spec.extends == "default" else {}
    for c in spec.categories:
        # Overriding a default code keeps its position, so reports list hazards in a stable order.
        hazards[c.code] = Hazard(c.code, c.name or c.code.replace("_", " ").capitalize(), c.description,
                                 tuple(c.examples), c.threshold)
    return Taxonomy(name=spec.name or default_name, hazards=tuple(hazards.values()))


def _policy_error(error: ValidationError, path: str | Path | None, root: yaml.Node | None) -> PolicyError:
    problems = error.errors(include_url=False)
    located = sorted(((node_line(root, tuple(p["loc"])), p) for p in problems), key=lambda lp: lp[0] or 0)
    line, first = located[0]
    loc = tuple(first["loc"])
    message = _reason(first)
    if len(located) > 1:
        others = "; ".join(f"{dotted(tuple(p['loc']))}"
                           f"{f' (line {ln})' if ln is not None else ''}: {_reason(p)}"
                           for ln, p in located[1:])
        message += f" (also: {others})"
    return PolicyError(message, path=path, line=line, field=dotted(loc) or None)


def _reason(problem: Mapping[str, Any]) -> str:
    kind = problem["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "string_pattern_mismatch":
        return (f"code {problem['input']!r} must start with a lowercase letter and use 2-32 lowercase letters, "
                "digits or '_'")
    if problem["loc"] == ("extends",):
        return "extends must be 'default' (keep the default hazards) or 'none' (replace them)"
    if kind == "too_short" and problem["loc"] == ("categories",):
        return "categories must list at least one category"
    return str(problem["msg"])


def _reject_duplicate_keys(node: yaml.Node, path: Path, loc: Loc = ()) -> None:
    # PyYAML silently keeps the last of two equal keys; in a policy that hides a typo.
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.value in seen:
                raise PolicyError(f"key '{key.value}' appears twice in the same mapping", path=path,
                                  line=key.start_mark.line + 1, field=dotted((*loc, key.value)))
            seen.add(key.value)
            _reject_duplicate_keys(value, path, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _reject_duplicate_keys(item, path, (*loc, i))


def _kind(data: Any) -> str:
    return "nothing" if data is None else f"a {type(data).__name__}"
