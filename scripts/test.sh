#!/usr/bin/env bash
# The whole test suite: on SQLite, then on PostgreSQL (LINGXI_TEST_PG_URL, default the local `test`
# database) when a server answers. CI runs this through `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${LINGXI_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# One pytest-xdist worker per core; a file's tests stay on one worker (the e2e tests share a server per
# worker). On PostgreSQL each worker uses its own database, created next to $PG_URL (test_gw0, test_gw1...).
XDIST="${LINGXI_TEST_XDIST:--n auto --dist loadfile}"

$PY -m ruff check lingxi tests

# The web UI: unit tests (Vitest), and Chromium for the end-to-end tests in tests/e2e, which run inside
# the SQLite pass below (they skip, saying why, without Chromium or a build; `make test` builds the UI).
if [ -f web/package.json ]; then
  if [ ! -d web/node_modules ]; then npm --prefix web ci; fi
  echo "== web unit tests (vitest) =="
  npm --prefix web run test
fi
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "== installing Chromium for the e2e tests =="
  (apt-get install -y chromium fonts-noto-cjk || (apt-get update && apt-get install -y chromium fonts-noto-cjk)) >/dev/null \
    || echo "could not install Chromium: the e2e tests will skip"
fi

echo "== tests on SQLite =="
LINGXI_TEST_DATABASE_URL= $PY -m pytest -p no:cacheprovider $XDIST "$@"

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
  LINGXI_TEST_DATABASE_URL="$PG_URL" $PY -m pytest -p no:cacheprovider $XDIST "$@"
else
  echo "== PostgreSQL run SKIPPED: no server at $PG_URL (set LINGXI_TEST_PG_URL) =="
fi
