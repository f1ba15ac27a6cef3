"""Python jobs that fail on what surrounds the code: PostgreSQL (psycopg, alembic), MariaDB,
Redis, networks, permissions, settings, full disks, memory limits, time limits, tests that
pass on retry, crashes, data files, benchmarks."""

from __future__ import annotations

from make_logs import Scenario, Step
from scenarios_python import INSTALL, ledger, py

PG = "psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"

SCENARIOS: list[Scenario] = [
    py("catalog-pg-relation", "github", {
        "src/catalog/db.py": "import os\n\nimport psycopg\n\n\ndef top_products(n: int):\n"
        "    with psycopg.connect(os.environ['DATABASE_URL']) as conn:\n"
        "        return conn.execute('SELECT sku, title FROM products ORDER BY sold DESC "
        "LIMIT %s', (n,)).fetchall()\n",
        "src/catalog/__init__.py": "",
        "tests/test_db.py": "from catalog.db import top_products\n\n\ndef test_top():\n"
        "    assert len(top_products(3)) <= 3\n"},
       (INSTALL, "python -m pytest -q"), "database",
       "psycopg UndefinedTable: relation products does not exist (migrations not run)",
       pre=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_catalog' -c 'CREATE DATABASE fresh_catalog'",
       post=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_catalog'",
       env={"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/fresh_catalog"},
       services=("postgres:15",), project="catalog"),
    py("accounts-alembic", "gitlab", {
        "alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = "
        "postgresql+psycopg://postgres@127.0.0.1:5432/fresh_accounts\n\n[loggers]\n"
        "keys = root,alembic\n[handlers]\nkeys = console\n[formatters]\nkeys = generic\n"
        "[logger_root]\nlevel = WARN\nhandlers = console\n[logger_alembic]\nlevel = INFO\n"
        "handlers =\nqualname = alembic\n[handler_console]\nclass = StreamHandler\n"
        "args = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n[formatter_generic]\n"
        "format = %(levelname)-5.5s [%(name)s] %(message)s\n",
        "migrations/env.py": "from alembic import context\nfrom sqlalchemy import "
        "engine_from_config, pool\n\nconfig = context.config\nif config.config_file_name:\n"
        "    from logging.config import fileConfig\n    fileConfig(config.config_file_name)\n"
        "engine = engine_from_config(config.get_section(config.config_ini_section), "
        "prefix='sqlalchemy.', poolclass=pool.NullPool)\nwith engine.connect() as conn:\n"
        "    context.configure(connection=conn, target_metadata=None)\n"
        "    with context.begin_transaction():\n        context.run_migrations()\n",
        "migrations/script.py.mako": "",
        "migrations/versions/0001_users.py": "revision = '0001'\ndown_revision = None\n"
        "from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n"
        "    op.create_table('users', sa.Column('id', sa.Integer, primary_key=True), "
        "sa.Column('email', sa.String(200), nullable=False))\n",
        "migrations/versions/0002_email_unique.py": "revision = '0002'\ndown_revision = '0001'\n"
        "from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n"
        "    op.add_column('users', sa.Column('email', sa.String(320)))\n"
        "    op.create_unique_constraint('uq_users_email', 'users', ['email'])\n"},
       (INSTALL, "alembic upgrade head"), "database",
       "alembic: DuplicateColumn email already exists in migration 0002",
       pre=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_accounts' -c 'CREATE DATABASE fresh_accounts'",
       post=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_accounts'", services=("postgres:15",),
       tools=("alembic",), job="migrate"),
    py("search-pg-conn-limit", "travis", {
        "src/search/pool.py": "import os\n\nimport psycopg\n\n\ndef open_pair():\n"
        "    dsn = os.environ['DATABASE_URL']\n    return psycopg.connect(dsn), "
        "psycopg.connect(dsn)\n",
        "src/search/__init__.py": "",
        "tests/test_pool.py": "from search.pool import open_pair\n\n\ndef test_pair():\n"
        "    a, b = open_pair()\n    assert a.execute('select 1').fetchone() == (1,)\n"
        "    a.close(); b.close()\n"},
       (INSTALL, "python -m pytest -q -p no:cacheprovider"), "database",
       "PostgreSQL: too many connections for role (CONNECTION LIMIT 1)",
       pre=f"{PG} -c 'DROP ROLE IF EXISTS fresh_search' -c \"CREATE ROLE fresh_search LOGIN "
       "CONNECTION LIMIT 1\"",
       post=f"{PG} -c 'DROP ROLE IF EXISTS fresh_search'", services=("postgresql",),
       env={"DATABASE_URL": "postgresql://fresh_search@127.0.0.1:5432/postgres"}),
    py("wallet-pg-deadlock", "jenkins", {
        "src/wallet/transfer.py": "import os\nimport threading\nimport time\n\nimport psycopg\n\n"
        "DSN = os.environ['DATABASE_URL']\n\n\ndef transfer(src: int, dst: int, amount: int,"
        " barrier: threading.Barrier) -> None:\n    with psycopg.connect(DSN) as conn:\n"
        "        conn.execute('UPDATE accounts SET balance = balance - %s WHERE id = %s', "
        "(amount, src))\n        barrier.wait()\n        time.sleep(0.2)\n"
        "        conn.execute('UPDATE accounts SET balance = balance + %s WHERE id = %s', "
        "(amount, dst))\n",
        "src/wallet/__init__.py": "",
        "tests/test_transfer.py": "import threading\n\nimport psycopg\nimport pytest\n\n"
        "from wallet.transfer import DSN, transfer\n\n\n@pytest.fixture(autouse=True)\n"
        "def accounts():\n    with psycopg.connect(DSN, autocommit=True) as c:\n"
        "        c.execute('DROP TABLE IF EXISTS accounts')\n"
        "        c.execute('CREATE TABLE accounts (id int primary key, balance int)')\n"
        "        c.execute('INSERT INTO accounts VALUES (1, 100), (2, 100)')\n\n\n"
        "def test_concurrent_transfers():\n    barrier = threading.Barrier(2)\n"
        "    errors = []\n\n    def run(a, b):\n        try:\n"
        "            transfer(a, b, 10, barrier)\n        except Exception as exc:\n"
        "            errors.append(exc)\n\n"
        "    threads = [threading.Thread(target=run, args=(1, 2)), "
        "threading.Thread(target=run, args=(2, 1))]\n    for t in threads:\n        t.start()\n"
        "    for t in threads:\n        t.join()\n    if errors:\n        raise errors[0]\n"},
       ("python -m pytest -q",), "database",
       "PostgreSQL DeadlockDetected between two concurrent transfers",
       pre=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_wallet' -c 'CREATE DATABASE fresh_wallet'",
       post=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_wallet'",
       env={"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/fresh_wallet"}),
    py("metrics-pg-nodb", "circleci", {
        "scripts/seed.py": "import os\n\nimport psycopg\n\nwith psycopg.connect(os.environ["
        "'DATABASE_URL']) as conn:\n    conn.execute('CREATE TABLE IF NOT EXISTS samples "
        "(ts timestamptz, v float8)')\n    print('seeded')\n"},
       (INSTALL, "python scripts/seed.py", "python -m pytest"), "database",
       "psycopg OperationalError: database does not exist",
       env={"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/metrics_test"},
       services=("cimg/postgres:15.4",)),
    py("shop-mysql-auth", "buildkite", {
        "scripts/check_db.py": "import os\n\nimport pymysql\n\nconn = pymysql.connect(host="
        "'127.0.0.1', port=3306, user='shop', password=os.environ['MYSQL_PASSWORD'], "
        "database='fresh_shop')\nwith conn.cursor() as cur:\n    cur.execute('SELECT 1')\n"
        "print('database ready')\n"},
       ("python scripts/check_db.py",), "database",
       "MariaDB: Access denied for user shop (wrong password)",
       pre="mysql -h127.0.0.1 -uroot -e \"CREATE DATABASE IF NOT EXISTS fresh_shop; "
       "CREATE USER IF NOT EXISTS 'shop'@'%' IDENTIFIED BY 'right-one'; "
       "CREATE USER IF NOT EXISTS 'shop'@'localhost' IDENTIFIED BY 'right-one'; "
       "GRANT ALL ON fresh_shop.* TO 'shop'@'%';\"",
       post="mysql -h127.0.0.1 -uroot -e \"DROP USER IF EXISTS 'shop'@'%'; DROP USER IF EXISTS "
       "'shop'@'localhost'; DROP DATABASE IF EXISTS fresh_shop;\"",
       env={"MYSQL_PASSWORD": "stale"}, services=("mysql:8.0",)),
    py("sessions-redis-refused", "github", {
        "src/sessions/store.py": "import os\n\nimport redis\n\n\ndef client() -> redis.Redis:\n"
        "    return redis.Redis.from_url(os.environ.get('REDIS_URL', "
        "'redis://127.0.0.1:6390/0'))\n",
        "src/sessions/__init__.py": "",
        "tests/test_store.py": "from sessions.store import client\n\n\ndef test_roundtrip():\n"
        "    c = client()\n    c.set('k', 'v')\n    assert c.get('k') == b'v'\n"},
       (INSTALL, "python -m pytest -q"), "database",
       "redis ConnectionError: connection refused (service not on that port)",
       services=("redis:7",)),
    py("pricing-api-refused", "gitlab", {
        "tests/test_contract.py": "import requests\n\nBASE = 'http://127.0.0.1:8931'\n\n\n"
        "def test_quote_contract():\n    r = requests.post(f'{BASE}/v1/quote', json={'sku': "
        "'A1', 'qty': 2}, timeout=5)\n    assert r.status_code == 200\n"},
       (INSTALL, "python -m pytest -q tests/test_contract.py"), "network",
       "requests ConnectionError: connection refused by the pricing API the test needs",
       project="pricing"),
    py("dataset-dns", "circleci", {
        "scripts/fetch_dataset.py": "import requests\n\nURL = 'https://datasets.acme-"
        "analytics.invalid/v2/cities.csv'\nprint(f'downloading {URL}')\n"
        "resp = requests.get(URL, timeout=20)\nresp.raise_for_status()\n"
        "open('data/cities.csv', 'wb').write(resp.content)\n"},
       (INSTALL, "python scripts/fetch_dataset.py"), "network",
       "requests: NameResolutionError for the data host", project="dataset"),
    py("geoip-read-timeout", "jenkins", {
        "scripts/refresh.py": "import requests\n\nprint('refreshing GeoIP database')\n"
        "r = requests.get('http://127.0.0.1:8944/geoip/latest.mmdb', timeout=(3, 5))\n"
        "open('GeoLite2-City.mmdb', 'wb').write(r.content)\n"},
       ("python scripts/refresh.py",), "network",
       "requests ReadTimeout: the mirror accepts the connection and never answers",
       pre="(python3 -c \"import socket,time;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,"
       "socket.SO_REUSEADDR,1);s.bind(('127.0.0.1',8944));s.listen(8);time.sleep(40)\" "
       ">/dev/null 2>&1 & "
       "echo $! > /tmp/kffresh/silent.pid); sleep 1",
       post="kill $(cat /tmp/kffresh/silent.pid) 2>/dev/null; rm -f /tmp/kffresh/silent.pid",
       project="geoip"),
    py("webhook-tls", "travis", {
        "scripts/notify.py": "import json\nimport urllib.request\n\nreq = urllib.request."
        "Request('https://127.0.0.1:8943/hooks/deploy', data=json.dumps({'ok': True})."
        "encode(), headers={'Content-Type': 'application/json'})\n"
        "print(urllib.request.urlopen(req, timeout=10).status)\n"},
       ("python scripts/notify.py",), "network",
       "urllib: SSL WRONG_VERSION_NUMBER (TLS to a plain-HTTP endpoint)",
       pre="(python3 -m http.server 8943 --bind 127.0.0.1 >/dev/null 2>&1 & echo $! > "
       "/tmp/kffresh/httpd.pid); sleep 1",
       post="kill $(cat /tmp/kffresh/httpd.pid) 2>/dev/null; rm -f /tmp/kffresh/httpd.pid"),
    py("logship-eacces", "github", {
        "src/logship/__init__.py": "import logging\n\n\ndef setup() -> None:\n"
        "    handler = logging.FileHandler('/var/log/logship.log')\n"
        "    logging.getLogger('logship').addHandler(handler)\n"
        "    logging.getLogger('logship').info('started')\n",
        "tests/test_setup.py": "from logship import setup\n\n\ndef test_setup():\n"
        "    setup()\n"},
       ("python -m pytest -q -p no:cacheprovider",), "permission",
       "PermissionError: Errno 13 writing /var/log (job runs unprivileged)", user="nobody"),
    py("exports-readonly", "buildkite", {
        "scripts/export.py": "import csv\nfrom pathlib import Path\n\nout = Path('out')\n"
        "rows = [(i, i * i) for i in range(10)]\nwith (out / 'squares.csv').open('w') as f:\n"
        "    csv.writer(f).writerows(rows)\nprint('exported', len(rows))\n"},
       ("python scripts/export.py",), "permission",
       "OSError: Errno 30 Read-only file system (artifact dir mounted read-only)",
       pre="mkdir -p out && mount -t tmpfs -o size=1m,ro tmpfs out",
       post="umount out"),
    py("settings-env", "circleci", {
        "src/service/settings.py": "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n"
        "SECRET_KEY = os.environ['SECRET_KEY']\n",
        "src/service/__init__.py": "from .settings import DATABASE_URL\n",
        "tests/test_settings.py": "from service import DATABASE_URL\n\n\ndef test_url():\n"
        "    assert DATABASE_URL.startswith('postgres')\n"},
       (INSTALL, "python -m pytest -q"), "configuration",
       "KeyError: DATABASE_URL not set in the CI environment", project="settings"),
    py("parser-pytest-cov", "jenkins", ledger(),
       (INSTALL, "python -m pytest --cov=src --cov-report=xml"), "configuration",
       "pytest: unrecognized arguments --cov (pytest-cov not installed)", project="parser"),
    py("units-bad-toml", "github", {
        "pyproject.toml": "[project]\nname = \"units\"\nversion = \"1.0\"\n\n"
        "[tool.pytest.ini_options]\npythonpath = [\"src\"\ntestpaths = [\"tests\"]\n",
        "tests/test_x.py": "def test_x():\n    assert True\n"},
       ("python -m pytest",), "configuration", "pytest: pyproject.toml does not parse (TOML)"),
    py("lib-tox-missing", "travis", ledger(),
       (INSTALL, "tox -e py311"), "configuration", "tox: command not found", project="lib"),
    py("archive-disk", "gitlab", {
        "scripts/build_archive.py": "import os\nfrom pathlib import Path\n\nout = "
        "Path('dist')\nprint('writing dist/archive.bin')\nwith (out / 'archive.bin')"
        ".open('wb') as f:\n    for _ in range(64):\n        f.write(os.urandom(1 << 16))\n"
        "print('done')\n"},
       ("python scripts/build_archive.py",), "disk", "OSError Errno 28 No space left on device",
       pre="mkdir -p dist && mount -t tmpfs -o size=1m tmpfs dist", post="umount dist"),
    py("cache-pytest-disk", "jenkins", ledger(**{"tests/test_big.py":
        "def test_snapshot(tmp_path):\n    data = b'x' * (3 << 20)\n"
        "    (tmp_path / 'snap.bin').write_bytes(data)\n"
        "    assert (tmp_path / 'snap.bin').stat().st_size == len(data)\n"}),
       ("python -m pytest -q -p no:cacheprovider",), "disk",
       "pytest tmp_path on a full /tmp: No space left on device",
       pre="mkdir -p tmp && mount -t tmpfs -o size=2m tmpfs tmp", post="umount tmp",
       env={"TMPDIR": "tmp"}, project="cache"),
    py("matrix-memoryerror", "github", {
        "scripts/build_index.py": "print('building co-occurrence matrix for 250000 terms')\n"
        "matrix = [[0] * 250_000 for _ in range(250_000)]\nprint(len(matrix))\n"},
       (Step("python scripts/build_index.py", memory_kb=800_000),), "memory",
       "MemoryError under the job's memory limit", project="matrix"),
    py("nlp-memory-test", "buildkite", {
        "src/nlp/vocab.py": "def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:\n"
        "    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}\n",
        "src/nlp/__init__.py": "",
        "tests/test_vocab.py": "from nlp.vocab import ngrams\n\n\ndef test_large_corpus():\n"
        "    tokens = [str(i) for i in range(3_000_000)]\n    assert len(ngrams(tokens, 3)) "
        "== len(tokens) - 2\n"},
       (Step("python -m pytest -q -p no:cacheprovider", memory_kb=600_000),), "memory",
       "MemoryError inside a test run (memory limit)", project="nlp"),
    py("sync-hang", "travis", {
        "tests/test_sync.py": "import socket\n\n\ndef test_sync_with_peer():\n"
        "    s = socket.socket()\n    s.bind(('127.0.0.1', 0))\n    s.listen()\n"
        "    conn, _ = s.accept()  # waits for a peer that never connects\n",
        "tests/test_fast.py": "def test_fast():\n    assert 1 + 1 == 2\n"},
       (INSTALL, Step("python -m pytest -v", timeout=8)), "timeout",
       "a test waits forever; Travis kills the job for no output", ending="no-output",
       project="sync"),
    py("crawler-timeout", "gitlab", {
        "scripts/crawl.py": "import time\n\nfor page in range(1, 10_000):\n"
        "    print(f'crawled page {page}', flush=True)\n    time.sleep(1)\n"},
       ("timeout 6 python scripts/crawl.py",), "timeout",
       "timeout(1) kills the step after its limit (exit 124)", project="crawler"),
    py("rpc-pytest-timeout", "jenkins", {
        "src/rpc/__init__.py": "import threading\n\n_lock = threading.Lock()\n\n\n"
        "def call_twice():\n    with _lock:\n        with _lock:\n            return 1\n",
        "tests/test_rpc.py": "from rpc import call_twice\n\n\ndef test_call_twice():\n"
        "    assert call_twice() == 1\n"},
       ("python -m pytest -v -p no:cacheprovider --timeout=5 --timeout-method=thread",),
       "timeout", "pytest-timeout (thread) kills the whole run on a deadlock",
       tools=("pytest",)),
    py("feeds-flaky", "github", {
        "tests/test_feed.py": "import os\nimport pathlib\n\nMARK = pathlib.Path('.attempt')\n\n\n"
        "def test_feed_order():\n    first = not MARK.exists()\n    MARK.touch()\n"
        "    assert not first, 'feed returned items out of order: [3, 1, 2]'\n\n\n"
        "def test_feed_size():\n    assert len([1, 2, 3]) == 3\n"},
       (INSTALL, "python -m pytest -v -p no:cacheprovider --reruns 2 --fail-on-flaky"), "flaky",
       "pytest-rerunfailures: passed on rerun, --fail-on-flaky fails the run", project="feeds"),
    py("auth-flaky", "circleci", {
        "tests/test_login.py": "import pathlib\nimport time\n\nSTATE = pathlib.Path('.runs')\n\n\n"
        "def test_login_session_expiry():\n    n = int(STATE.read_text()) if STATE.exists() "
        "else 0\n    STATE.write_text(str(n + 1))\n    if n < 1:\n        time.sleep(0.1)\n"
        "        raise TimeoutError('session store did not answer within 100 ms')\n\n\n"
        "def test_logout():\n    assert True\n"},
       ("python -m pytest -q -p no:cacheprovider --reruns 3 --reruns-delay 1 --fail-on-flaky",),
       "flaky", "pytest-rerunfailures: rerun passed, fail-on-flaky", project="auth"),
    py("geocode-flaky", "gitlab", {
        "tests/test_geocode.py": "import pathlib\n\nN = pathlib.Path('.n')\n\n\n"
        "def test_geocode_cache_hit():\n    n = int(N.read_text()) if N.exists() else 0\n"
        "    N.write_text(str(n + 1))\n    hits = 0 if n == 0 else 1\n    assert hits == 1\n"},
       ("python -m pytest -p no:cacheprovider -rR --reruns 1 --fail-on-flaky",), "flaky",
       "pytest-rerunfailures: flaky cache test", project="geocode"),
    py("imaging-segfault", "buildkite", {
        "scripts/resize.py": "import ctypes\nimport faulthandler\n\nfaulthandler.enable()\n"
        "print('resizing 12 images')\nbuf = ctypes.c_char_p(None)\n"
        "ctypes.memmove(buf, b'pixels', 6)\n"},
       ("python scripts/resize.py",), "crash", "Fatal Python error: Segmentation fault",
       project="imaging"),
    py("codec-crash-pytest", "travis", {
        "tests/test_codec.py": "import ctypes\n\n\ndef test_decode_frame():\n"
        "    assert ctypes.string_at(0xdeadbeef000, 8) == b''\n",
        "tests/test_other.py": "def test_ok():\n    assert True\n"},
       ("python -X faulthandler -m pytest -v -p no:cacheprovider",), "crash",
       "segfault inside a test takes pytest down (no report)", project="codec"),
    py("catalog-jsonschema", "gitlab", {
        "schema/product.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema", '
        '"type": "object", "required": ["sku", "price"], "properties": {"sku": {"type": '
        '"string", "pattern": "^[A-Z]{2}-[0-9]{4}$"}, "price": {"type": "number", '
        '"minimum": 0}}}\n',
        "data/products/lamp.json": '{"sku": "LP-0012", "price": 19.9}\n',
        "data/products/desk.json": '{"sku": "desk-7", "price": -5}\n'},
       ("check-jsonschema --schemafile schema/product.json data/products/*.json",), "data",
       "check-jsonschema: a product file fails the schema", tools=("check-jsonschema",),
       project="products"),
    py("site-yaml-data", "github", {
        "scripts/build_menu.py": "import yaml\n\nwith open('data/menu.yml') as f:\n"
        "    menu = yaml.safe_load(f)\nprint(len(menu['items']), 'items')\n",
        "data/menu.yml": "items:\n  - title: Home\n    url: /\n  - title: Blog\n"
        "     url: /blog\n"},
       ("python scripts/build_menu.py",), "data", "PyYAML ScannerError in a data file",
       project="site"),
    py("hashing-benchmark", "jenkins", {
        "tests/test_bench.py": "import hashlib\n\n\ndef digest(data: bytes) -> str:\n"
        "    for _ in range(200):\n        data = hashlib.sha256(data).digest()\n"
        "    return data.hex()\n\n\ndef test_digest_speed(benchmark):\n"
        "    benchmark(digest, b'x' * 1024)\n"},
       ("python -m pytest -p no:cacheprovider --benchmark-storage=.benchmarks "
        "--benchmark-compare=0001 --benchmark-compare-fail=mean:5%",), "performance",
       "pytest-benchmark: mean regressed beyond the 5% threshold",
       pre="mkdir -p .benchmarks/Linux-CPython-3.11-64bit && python3 -c \"import json;"
       "json.dump({'machine_info': {'node': 'ci', 'python_implementation': 'CPython', "
       "'python_version': '3.11.7', 'cpu': {}}, 'commit_info': {'id': 'a1b2c3'}, 'benchmarks': "
       "[{'group': None, 'name': 'test_digest_speed', 'fullname': 'tests/test_bench.py::"
       "test_digest_speed', 'params': None, 'param': None, 'extra_info': {}, 'options': {}, "
       "'stats': {'min': 1e-05, 'max': 2e-05, 'mean': 1.1e-05, 'stddev': 1e-06, 'rounds': 100, "
       "'median': 1.1e-05, 'iqr': 1e-06, 'q1': 1e-05, 'q3': 1.2e-05, 'iqr_outliers': 0, "
       "'stddev_outliers': 0, 'outliers': '0;0', 'ld15iqr': 1e-05, 'hd15iqr': 2e-05, 'ops': "
       "90000.0, 'total': 0.0011, 'iterations': 1}}], 'datetime': '2025-12-01T10:00:00', "
       "'version': '4.0.0'}, open('.benchmarks/Linux-CPython-3.11-64bit/0001_baseline.json',"
       "'w'))\"", project="hashing"),
    py("release-silent", "circleci", {
        "scripts/check_release.py": "import sys\nfrom pathlib import Path\n\n"
        "sys.exit(0 if Path('CHANGELOG.md').exists() else 1)\n"},
       ("python scripts/check_release.py",), "unclear",
       "a script exits 1 without printing why", project="release"),
]
