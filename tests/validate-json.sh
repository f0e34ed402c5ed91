#!/bin/sh
# Validate results files against docs/result.schema.json, with Debian's
# python3-jsonschema (never the python on PATH: a CI image may carry its
# own).  One line per error: the file, where, what.  Exit 1 on any.
#
# usage: tests/validate-json.sh FILE.json...
set -eu

schema=$(dirname "$0")/../docs/result.schema.json
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || {
	echo "tests/validate-json.sh: needs python3-jsonschema (make deps as root)" >&2
	exit 2
}
exec /usr/bin/python3 - "$schema" "$@" <<'PY'
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    try:
        doc = json.load(open(path))
    except (OSError, ValueError) as e:
        print(f"{path}: {e}")
        bad += 1
        continue
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
        print(f"{path}: {where.lstrip('.') or '(top)'}: {err.message}")
        bad += 1
sys.exit(1 if bad else 0)
PY
