#!/usr/bin/env bash
# The whole test suite: on SQLite, then on PostgreSQL (LINGXI_TEST_PG_URL, default the local `test`
# database) when a server answers. CI runs this through `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${LINGXI_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"

$PY -m ruff check lingxi tests

echo "== tests on SQLite =="
LINGXI_TEST_DATABASE_URL= $PY -m pytest -p no:cacheprovider "$@"

if $PY - "$PG_URL" <<'PYEOF'
import asyncio, sys
import asyncpg
async def main(url):
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"), timeout=3)
    await conn.close()
try:
    asyncio.run(main(sys.argv[1]))
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}")
    sys.exit(1)
PYEOF
then
  echo "== tests on PostgreSQL ($PG_URL) =="
  LINGXI_TEST_DATABASE_URL="$PG_URL" $PY -m pytest -p no:cacheprovider "$@"
else
  echo "== PostgreSQL run SKIPPED: no server at $PG_URL (set LINGXI_TEST_PG_URL) =="
fi
