"""Python jobs that fail on the code: pytest, unittest, compileall, flake8, ruff, black, pylint,
mypy, pip, bandit, detect-secrets (the helpers here serve scenarios_python_runtime.py too)."""

from __future__ import annotations

from typing import Any

from make_logs import Scenario, Step

PYPROJECT = """[project]
name = "{name}"
version = "0.4.1"
requires-python = ">=3.10"

[tool.pytest.ini_options]
pythonpath = ["src"]
testpaths = ["tests"]
"""
REQS = "pytest>=7\nrequests>=2.28\nSQLAlchemy>=2.0\n"
INSTALL = Step("python -m pip install -r requirements.txt", name="install")

LEDGER = '''"""Money arithmetic for invoices."""
from decimal import ROUND_HALF_UP, Decimal


def line_total(quantity: int, unit_price: Decimal, discount_pct: int = 0) -> Decimal:
    gross = unit_price * quantity
    discount = gross * Decimal(discount_pct) / Decimal(100)
    return (gross - discount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def invoice_total(lines: list[tuple[int, Decimal, int]], vat_pct: int) -> Decimal:
    net = sum((line_total(q, p, d) for q, p, d in lines), Decimal("0"))
    return (net * (100 + vat_pct) / 100).quantize(Decimal("0.01"))
'''
LEDGER_TESTS = '''from decimal import Decimal

from ledger import invoice_total, line_total


def test_line_total_plain():
    assert line_total(3, Decimal("2.50")) == Decimal("7.50")


def test_line_total_discount():
    assert line_total(4, Decimal("10.00"), 25) == Decimal("30.00")


def test_invoice_total_with_vat():
    lines = [(1, Decimal("100.00"), 0), (2, Decimal("5.00"), 10)]
    assert invoice_total(lines, 20) == Decimal("130.80")
'''


def py(name: str, ci: str, files: dict[str, str], steps: tuple[Step | str, ...],
       category: str, why: str, **kw: Any) -> Scenario:
    project = kw.pop("project", name.rsplit("-", 1)[0])
    base = {"pyproject.toml": PYPROJECT.format(name=project), "requirements.txt": REQS}
    tools = kw.pop("tools", ("python",))
    return Scenario(name=name, ecosystem="python", ci=ci, files={**base, **files},
                    steps=steps, category=category, why=why, project=project, tools=tools,
                    job=kw.pop("job", "test"), **kw)


def ledger(**changes: str) -> dict[str, str]:
    files = {"src/ledger/__init__.py": LEDGER, "tests/test_ledger.py": LEDGER_TESTS}
    files.update(changes)
    return files



SCENARIOS: list[Scenario] = [
    py("billing-pytest-assert", "github",
       ledger(**{"src/ledger/__init__.py": LEDGER.replace("(100 + vat_pct)", "(100 - vat_pct)")}),
       (INSTALL, "python -m pytest -q"), "test", "pytest: VAT applied with the wrong sign",
       project="billing"),
    py("inventory-unittest-error", "gitlab", {
        "src/inventory/__init__.py": "STOCK = {'apple': 4, 'pear': 0}\n\n\n"
        "def reserve(item: str, n: int) -> int:\n    left = STOCK[item.lower()] - n\n"
        "    if left < 0:\n        raise ValueError(f'only {STOCK[item]} {item} left')\n"
        "    STOCK[item] = left\n    return left\n",
        "tests/test_reserve.py": "import unittest\n\nfrom inventory import reserve\n\n\n"
        "class ReserveTest(unittest.TestCase):\n    def test_reserve_apple(self):\n"
        "        self.assertEqual(reserve('apple', 1), 3)\n\n    def test_reserve_plum(self):\n"
        "        self.assertEqual(reserve('Plum', 1), 0)\n\n    def test_empty(self):\n"
        "        with self.assertRaises(ValueError):\n            reserve('pear', 1)\n"},
       ("python -m unittest discover -s tests -v",), "test",
       "unittest: KeyError inside a test (runner reports ERROR)", env={"PYTHONPATH": "src"}),
    py("slugs-pytest-param", "jenkins", {
        "src/slugs/__init__.py": "import re\n\n\ndef slugify(title: str) -> str:\n"
        "    title = title.strip().lower()\n    return re.sub(r'[^a-z0-9]+', '-', title)\n",
        "tests/test_slugs.py": "import pytest\n\nfrom slugs import slugify\n\n\n"
        "@pytest.mark.parametrize('title,slug', [\n    ('Hello World', 'hello-world'),\n"
        "    ('  Trim me  ', 'trim-me'),\n    ('Ünïcode Title!', 'unicode-title'),\n"
        "    ('a--b', 'a-b'),\n])\ndef test_slugify(title, slug):\n"
        "    assert slugify(title) == slug\n"},
       (INSTALL, "python -m pytest -v --junitxml=reports/junit.xml"), "test",
       "pytest: two parametrized cases fail (unicode, trailing dash)"),
    py("reports-syntax-collect", "circleci",
       ledger(**{"src/ledger/__init__.py": LEDGER.replace(
           "    return (net * (100 + vat_pct) / 100).quantize(Decimal(\"0.01\"))",
           "    return (net * (100 + vat_pct) / 100).quantize(Decimal(\"0.01\")")}),
       (INSTALL, "python -m pytest"), "compile",
       "SyntaxError in the package while pytest collects (module does not parse)",
       project="reports"),
    py("etl-compileall", "buildkite", {
        "src/etl/load.py": "def load(rows):\n    for row in rows:\n        if row:\n"
        "            yield row\n       else:\n            continue\n",
        "src/etl/__init__.py": ""},
       ("python -m compileall -q src",), "compile", "compileall: IndentationError"),
    py("api-flake8", "travis", {
        "src/api/views.py": "import json\nimport os\n\n\ndef handler(event, context):\n"
        "    body = json.loads(event['body'])\n    unused = os.environ.get('STAGE')\n"
        "    return {'statusCode': 200, 'body': json.dumps({'echo': body, 'message': "
        "'this line is far too long for the configured flake8 maximum line length'})}\n",
        "src/api/__init__.py": "", "setup.cfg": "[flake8]\nmax-line-length = 100\n"},
       (INSTALL, "flake8 src"), "lint", "flake8: F841 unused local, E501 line too long",
       tools=("flake8",)),
    py("cli-ruff", "github", {
        "src/cli/main.py": "import sys, os\nfrom pathlib import *\n\n\ndef main(argv=[]):\n"
        "    try:\n        return run(argv)\n    except:\n        return 1\n\n\n"
        "def run(argv):\n    if argv == None:\n        return 0\n    print(Path.cwd())\n"
        "    return len(argv)\n",
        "src/cli/__init__.py": "", "ruff.toml": "line-length = 100\n[lint]\n"
        "select = [\"E\", \"F\", \"B\"]\n"},
       (INSTALL, "ruff check --output-format=full src"), "lint",
       "ruff: E401 multiple imports, F403 star import, B006, E722 bare except, E711",
       tools=("ruff",)),
    py("scheduler-black", "gitlab", {
        "src/scheduler/jobs.py": "def next_run(schedule,now):\n    return min( [t for t in "
        "schedule if t>now] ,default=None)\n",
        "src/scheduler/__init__.py": ""},
       (INSTALL, "black --check --diff src"), "lint", "black --check: would reformat",
       tools=("black",)),
    py("geo-pylint", "jenkins", {
        "src/geo/dist.py": "import math\n\n\nclass point:\n    def __init__(self, x, y):\n"
        "        self.x = x\n        self.y = y\n\n    def dist(self, other):\n"
        "        return math.sqrt((self.x - other.x) ** 2 + (self.y - other.y) ** 2)\n\n\n"
        "def centroid(points):\n    if len(points) == 0:\n        return None\n"
        "    sx = sum([p.x for p in points])\n    sy = sum([p.y for p in points])\n"
        "    return point(sx / len(points), sy / len(points), 0)\n",
        "src/geo/__init__.py": "\"\"\"Geometry helpers.\"\"\"\n"},
       (INSTALL, "pylint --fail-under=9 src/geo"), "lint",
       "pylint: E1121 too many positional arguments, C0103, score under 9",
       tools=("pylint",)),
    py("orders-mypy", "gitlab", {
        "src/orders/model.py": "from dataclasses import dataclass\n\n\n@dataclass\n"
        "class Order:\n    id: int\n    total_cents: int\n    coupon: str | None = None\n\n\n"
        "def coupon_code(order: Order) -> str:\n    return order.coupon.upper()\n\n\n"
        "def total_euros(order: Order) -> int:\n    return order.total_cents / 100\n",
        "src/orders/__init__.py": "", "mypy.ini": "[mypy]\nstrict = True\n"},
       (INSTALL, "mypy src"), "type-check",
       "mypy: Item None has no attribute upper; float returned as int", tools=("mypy",)),
    py("weather-mypy", "buildkite", {
        "src/weather/fetch.py": "from typing import TypedDict\n\n\nclass Reading(TypedDict):\n"
        "    station: str\n    celsius: float\n\n\ndef parse(raw: dict) -> Reading:\n"
        "    return {'station': raw['id'], 'celsius': raw['t'], 'unit': 'C'}\n\n\n"
        "def warmest(readings: list[Reading]) -> str:\n"
        "    return max(readings, key=lambda r: r['celsius'])['celcius']\n",
        "src/weather/__init__.py": "", "mypy.ini": "[mypy]\ndisallow_any_generics = True\n"
        "warn_return_any = True\n"},
       ("mypy --pretty src",), "type-check",
       "mypy: extra TypedDict key, misspelled key, bare dict"),
    py("queue-mypy", "circleci", {
        "src/jobqueue/core.py": "import asyncio\nfrom collections.abc import Awaitable, "
        "Callable\n\nHandler = Callable[[str], Awaitable[None]]\n\n\n"
        "async def drain(q: asyncio.Queue[str], handler: Handler) -> int:\n    n = 0\n"
        "    while not q.empty():\n        item = q.get_nowait()\n        handler(item)\n"
        "        n += '1'\n    return n\n",
        "src/jobqueue/__init__.py": ""},
       (INSTALL, "mypy --strict src/jobqueue"), "type-check",
       "mypy: unsupported operand int + str, unused coroutine", tools=("mypy",)),
    py("webapp-pip-nomatch", "github", {
        "requirements.txt": "flask>=3.0\nrequests==2.31.0\nacme-internal-auth==4.2.0\n"},
       (Step("python -m pip install -r requirements.txt", name="install"), "python -m pytest"),
       "dependency", "pip: No matching distribution for a private package name",
       project="webapp"),
    py("notebook-pip-conflict", "travis", {
        "requirements.txt": "pandas==2.2.2\nnumpy==1.22.0\n"},
       (Step("pip install -r requirements.txt", name="install"), "pytest"),
       "dependency", "pip ResolutionImpossible: pandas 2.2.2 needs numpy>=1.22.4/1.23.2",
       project="notebook"),
    py("mailer-modnotfound", "jenkins", {
        "src/mailer/__init__.py": "import boto3\n\n\ndef send(to: str, body: str) -> str:\n"
        "    client = boto3.client('ses')\n    return client.send_email(to, body)['MessageId']\n",
        "tests/test_mailer.py": "from mailer import send\n\n\ndef test_send(monkeypatch):\n"
        "    assert callable(send)\n"},
       (INSTALL, "python -m pytest -q"), "dependency",
       "ModuleNotFoundError: boto3 not installed (missing from requirements)"),
    py("docs-importname", "circleci", {
        "requirements.txt": "jinja2>=3.1\n",
        "src/docsite/render.py": "from jinja2 import Environment, Markup\n\n\n"
        "def render(tpl: str, **ctx) -> str:\n    return Environment().from_string(tpl)"
        ".render(**ctx)\n",
        "src/docsite/__init__.py": "", "tests/test_render.py":
        "from docsite.render import render\n\n\ndef test_hello():\n"
        "    assert render('hi {{ n }}', n=1) == 'hi 1'\n"},
       (INSTALL, "python -m pytest -q"), "dependency",
       "ImportError: cannot import name Markup from jinja2 (removed in Jinja 3.1)"),
    py("uploads-bandit", "gitlab", {
        "src/uploads/handlers.py": "import pickle\nimport subprocess\n\nimport yaml\n\n"
        "API_PASSWORD = 'hunter2-prod'\n\n\ndef thumbnail(path):\n"
        "    return subprocess.call('convert ' + path + ' -resize 64x64 thumb.png', "
        "shell=True)\n\n\ndef load_meta(blob):\n    return pickle.loads(blob)\n\n\n"
        "def load_config(text):\n    return yaml.load(text)\n",
        "src/uploads/__init__.py": ""},
       (INSTALL, "bandit -r src"), "security",
       "bandit: shell=True, pickle, yaml.load, hardcoded password", tools=("bandit",)),
    py("tokens-bandit", "github", {
        "src/tokens/gen.py": "import hashlib\nimport random\nimport ssl\n\n\n"
        "def reset_token(user_id: int) -> str:\n    salt = random.random()\n"
        "    return hashlib.md5(f'{user_id}{salt}'.encode()).hexdigest()\n\n\n"
        "def client_context() -> ssl.SSLContext:\n"
        "    return ssl._create_unverified_context()\n",
        "src/tokens/__init__.py": ""},
       ("bandit -r src -ll -f txt",), "security",
       "bandit: md5 for a token, unverified SSL context", tools=("bandit",)),
    py("blog-bandit", "buildkite", {
        "blog/views.py": "from django.db import connection\nfrom django.http import HttpResponse"
        "\n\n\ndef search(request):\n    q = request.GET.get('q', '')\n"
        "    with connection.cursor() as cur:\n"
        "        cur.execute(\"SELECT title FROM blog_post WHERE title LIKE '%%\" + q + \"%%'\")\n"
        "        rows = cur.fetchall()\n    return HttpResponse(repr(rows))\n\n\n"
        "def preview(request):\n    return HttpResponse(eval(request.GET['expr']))\n",
        "blog/__init__.py": "", "blog/settings.py": "DEBUG = True\nSECRET_KEY = "
        "'django-insecure-7x!k2p@q9z'\nALLOWED_HOSTS = ['*']\n"},
       ("bandit -r blog -f screen",), "security",
       "bandit: SQL built from a request parameter, eval, hardcoded secret key",
       tools=("bandit",)),
    py("ops-detect-secrets", "buildkite", {
        "deploy/settings.py": "AWS_ACCESS_KEY_ID = 'AKIA" "IOSFODNN7EXAMPLQ'\n"
        "AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ'\n"
        "SLACK_WEBHOOK = 'https://hooks.slack.com/" "services/T0A1B2C3D/B0A1B2C3D/"
        "abcdefghijABCDEFGHIJ1234'\n",
        ".secrets.baseline": '{"version": "1.5.0", "plugins_used": [{"name": "AWSKeyDetector"},'
        ' {"name": "SlackDetector"}, {"name": "Base64HighEntropyString", "limit": 4.5}],'
        ' "filters_used": [], "results": {}, "generated_at": "2025-11-02T10:00:00Z"}\n'},
       ("git init -q . && git add -A && detect-secrets-hook --baseline .secrets.baseline "
        "$(git ls-files)",), "security", "detect-secrets: AWS key and Slack webhook committed",
       tools=("detect-secrets-hook",)),
    py("cronjobs-detect-secrets", "jenkins", {
        "jobs/backup.sh": "#!/bin/sh\nexport PGPASSWORD='Zq8!vR2#pLm9@xT4'\n"
        "curl -H 'Authorization: Bearer ghp_" "4f9Kx2LmQ8vR3nT7yW1zA5bC6dE0fG2hJ4kL' "
        "https://api.github.com/repos/acme/backups/dispatches\n",
        ".secrets.baseline": '{"version": "1.5.0", "plugins_used": [{"name": "GitHubTokenDetector"'
        '}, {"name": "KeywordDetector"}], "filters_used": [], "results": {}, '
        '"generated_at": "2025-09-12T08:00:00Z"}\n'},
       ("git init -q . && git add -A && detect-secrets-hook --baseline .secrets.baseline "
        "jobs/backup.sh",), "security", "detect-secrets: GitHub token in a cron script",
       tools=("detect-secrets-hook",)),
]
