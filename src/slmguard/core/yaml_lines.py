"""Where a field sits in a YAML file, for errors that name the line: PyYAML's composed node tree
keeps line marks, which the loaded Python objects lose."""

from __future__ import annotations

from typing import Sequence

import yaml

Loc = tuple[str | int, ...]


def dotted(loc: Sequence[str | int]) -> str:
    """`categories[1].threshold` from ('categories', 1, 'threshold')."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def node_line(root: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """1-based line of the deepest node along `loc`: the key for a mapping field, the item for a list index."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
