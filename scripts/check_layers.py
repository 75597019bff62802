#!/usr/bin/env python3
"""Checks that every include in src/ points down the stack of ARCHITECTURE.md (or within its own folder).

    scripts/check_layers.py [ROOT]      exit 0 when every include is allowed, 1 (listing each) when not

The stack, bottom to top: base, geometry, io, ops, checks, present, project; the CLI (src/cli) sits on top
and may include any of them. A file in a folder may include its own folder and the folders below it.
"""
import pathlib
import re
import sys

STACK = ["base", "geometry", "io", "ops", "checks", "present", "project"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"zonekit/([a-z_]+)/([a-z_0-9]+\.hpp)"', re.M)


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    lib = root / "src" / "zonekit"
    bad = []
    for path in sorted(lib.rglob("*.[ch]pp")):
        folder = path.relative_to(lib).parts[0]
        if folder not in STACK:
            bad.append(f"{path.relative_to(root)}: in '{folder}', which is not a layer of {STACK}")
            continue
        for m in INCLUDE.finditer(path.read_text(encoding="utf-8")):
            target = m.group(1)
            if target not in STACK:
                bad.append(f"{path.relative_to(root)}: includes zonekit/{target}/{m.group(2)}, not a layer")
            elif not (lib / target / m.group(2)).is_file():
                bad.append(f"{path.relative_to(root)}: includes zonekit/{target}/{m.group(2)}, which does not exist")
            elif STACK.index(target) > STACK.index(folder):
                bad.append(f"{path.relative_to(root)}: includes zonekit/{target}/{m.group(2)} — {target} is above "
                           f"{folder}; move the shared part down or the includer up")
    for line in bad:
        print(line)
    if not bad:
        print(f"check_layers: every include in {lib.relative_to(root)} points down the stack")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
