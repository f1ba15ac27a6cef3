"""Jobs that fail on what surrounds the code: databases (psql, mysql, redis-cli), networks
(curl, wget, git, Ruby, Java), permissions (unprivileged users, sockets, bare repositories),
full disks (small tmpfs volumes), memory limits (ulimit, -Xmx), crashes, intermittent tests,
data files and size budgets — in several toolchains."""

from __future__ import annotations

from typing import Any

from make_logs import Scenario, Step
from scenarios_python import INSTALL, py
from scenarios_web import NOISE

PG = "psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
MY = "mysql -h127.0.0.1 -uroot"


def sh(name: str, eco: str, ci: str, files: dict[str, str], steps: tuple[Step | str, ...],
       category: str, why: str, tools: tuple[str, ...] = ("bash",), **kw: Any) -> Scenario:
    project = kw.pop("project", name.rsplit("-", 1)[0])
    return Scenario(name=name, ecosystem=eco, ci=ci, files=files, steps=steps,
                    category=category, why=why, project=project, tools=tools,
                    job=kw.pop("job", "deploy"), **kw)


FLAKY_PY = """import pathlib

STATE = pathlib.Path(".tries")


def test_{name}():
    n = int(STATE.read_text()) if STATE.exists() else 0
    STATE.write_text(str(n + 1))
    assert n > 0, "{message}"


def test_other():
    assert sum([1, 2]) == 3
"""

SCENARIOS: list[Scenario] = [
    sh("schema-psql", "sql", "buildkite", {
        "db/migrate/001_init.sql": "CREATE TABLE customers (id serial PRIMARY KEY, email text "
        "NOT NULL UNIQUE);\n",
        "db/migrate/002_orders.sql": "CREATE TABLE orders (id serial PRIMARY KEY, customer_id "
        "int REFERENCES customer(id), total numeric(10,2));\n",
        "scripts/migrate.sh": "#!/bin/bash\nset -euo pipefail\nfor f in db/migrate/*.sql; do\n"
        "  echo \"applying $f\"\n  psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f \"$f\"\ndone\n"},
       ("./scripts/migrate.sh",), "database",
       "psql: relation customer does not exist in a migration", ("psql",),
       pre=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_schema' -c 'CREATE DATABASE fresh_schema'",
       post=f"{PG} -c 'DROP DATABASE IF EXISTS fresh_schema'",
       env={"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/fresh_schema"},
       services=("postgres:15",), job="migrate"),
    sh("legacy-mysql", "sql", "gitlab", {
        "db/seed.sql": "INSERT INTO products (sku, title) VALUES ('A-1', 'Lamp');\n"
        "INSERT INTO products (sku, title) VALUES ('A-1', 'Lamp (duplicate)');\n",
        "db/schema.sql": "CREATE TABLE products (sku varchar(16) PRIMARY KEY, title "
        "varchar(200));\n"},
       ("mysql -h127.0.0.1 -uroot fresh_legacy < db/schema.sql",
        "mysql -h127.0.0.1 -uroot fresh_legacy < db/seed.sql"), "database",
       "MariaDB ERROR 1062 Duplicate entry for key PRIMARY", ("mysql",),
       pre=f"{MY} -e 'DROP DATABASE IF EXISTS fresh_legacy; CREATE DATABASE fresh_legacy'",
       post=f"{MY} -e 'DROP DATABASE IF EXISTS fresh_legacy'", services=("mysql:8.0",),
       job="db-seed"),
    sh("cache-redis-wrongtype", "shell", "jenkins", {
        "scripts/warm_cache.sh": "#!/bin/bash\nset -euo pipefail\nKEY=fresh:warm:sessions\n"
        "redis-cli -h 127.0.0.1 SET $KEY started > /dev/null\n"
        "echo \"pushing 3 session ids\"\nfor id in s1 s2 s3; do\n"
        "  out=$(redis-cli -h 127.0.0.1 LPUSH $KEY $id)\n  echo \"$out\"\n"
        "  case \"$out\" in WRONGTYPE*) exit 1;; esac\ndone\n"},
       ("./scripts/warm_cache.sh",), "database",
       "redis-cli: WRONGTYPE Operation against a key holding the wrong kind of value",
       ("redis-cli",), post="redis-cli -h 127.0.0.1 DEL fresh:warm:sessions >/dev/null"),
    sh("reports-mysql-missing", "sql", "circleci", {
        "sql/monthly.sql": "SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, SUM(total) FROM "
        "invoices GROUP BY 1;\n"},
       ("mysql -h127.0.0.1 -uroot fresh_reports < sql/monthly.sql",), "database",
       "MariaDB ERROR 1146 table doesn't exist", ("mysql",),
       pre=f"{MY} -e 'DROP DATABASE IF EXISTS fresh_reports; CREATE DATABASE fresh_reports'",
       post=f"{MY} -e 'DROP DATABASE IF EXISTS fresh_reports'", job="reports"),
    sh("health-curl-refused", "shell", "gitlab", {
        "scripts/smoke.sh": "#!/bin/sh\nset -e\necho 'checking the payments gateway the "
        "service depends on'\ncurl -fsS --retry 2 --retry-delay 1 http://127.0.0.1:8088/healthz\n"},
       ("./scripts/smoke.sh",), "network", "curl: (7) Failed to connect … Connection refused",
       ("curl",), job="smoke"),
    sh("assets-wget-dns", "shell", "travis", {}, (
        "wget -q --tries=2 https://downloads.fonts-cdn.invalid/inter/Inter-4.0.zip -O "
        "fonts.zip",), "network", "wget: unable to resolve host address", ("wget",),
       job="assets"),
    sh("vendor-git-clone", "shell", "circleci", {}, (
        "git clone --depth 1 https://git.partner-tools.invalid/sdk/sdk-generator.git "
        "vendor/sdk-generator",), "network",
       "git clone of a third-party tool: Could not resolve host", ("git",), job="generate"),
    sh("rates-ruby-net", "ruby", "jenkins", {
        "bin/rates": "#!/usr/bin/env ruby\nrequire 'net/http'\nrequire 'json'\n"
        "uri = URI('http://127.0.0.1:9292/v1/rates?base=EUR')\nputs \"fetching #{uri}\"\n"
        "body = Net::HTTP.get(uri)\nputs JSON.parse(body).size\n"},
       ("ruby bin/rates",), "network", "Ruby: Errno::ECONNREFUSED Failed to open TCP connection",
       ("ruby",), job="rates"),
    sh("partner-java-http", "jvm", "gitlab", {
        "Ping.java": "import java.net.URI;\nimport java.net.http.*;\nimport java.time.Duration;"
        "\n\npublic class Ping {\n  public static void main(String[] a) throws Exception {\n"
        "    var c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();\n"
        "    var r = c.send(HttpRequest.newBuilder(URI.create(\"http://127.0.0.1:9191/api/ping"
        "\")).build(), HttpResponse.BodyHandlers.ofString());\n"
        "    System.out.println(r.statusCode());\n  }\n}\n"},
       ("java Ping.java",), "network", "Java HttpClient: java.net.ConnectException",
       ("java",), job="contract"),
    sh("images-docker-perm", "docker", "github", {
        "Dockerfile": "FROM alpine:3.20\nCOPY . /app\nCMD [\"/app/run\"]\n"},
       ("docker build -t acme/images:ci .",), "permission",
       "docker: permission denied on the daemon socket (user not in docker group)",
       ("docker",), user="nobody",
       pre="mkdir -p /run/user/1001 && python3 -c \"import socket,os;s=socket.socket(socket."
       "AF_UNIX);p='/run/user/1001/docker.sock';os.path.exists(p) and os.unlink(p);s.bind(p);"
       "os.chmod(p,0o660)\"",
       post="rm -f /run/user/1001/docker.sock",
       env={"DOCKER_HOST": "unix:///run/user/1001/docker.sock"}, job="image"),
    sh("site-git-push", "shell", "gitlab", {"index.html": "<h1>docs</h1>\n"}, (
        "git init -q -b gh-pages . && git add -A && git -c user.email=ci@acme.dev -c "
        "user.name=ci commit -qm 'Deploy docs' && git push /srv/git/site.git gh-pages",),
       "permission", "git push: insufficient permission for adding an object (unprivileged)",
       ("git",), user="nobody",
       pre="mkdir -p .home && printf '[safe]\\n\\tdirectory = *\\n' > .home/.gitconfig && "
       "chown -R nobody:nogroup . && rm -rf /srv/git/site.git && mkdir -p /srv/git && "
       "git init -q --bare /srv/git/site.git", post="rm -rf /srv/git/site.git", job="pages"),
    sh("tool-install-bin", "shell", "travis", {"bin/acmectl": "#!/bin/sh\necho acmectl\n"}, (
        "install -m 0755 bin/acmectl /usr/local/bin/acmectl",), "permission",
       "install: cannot create regular file: Permission denied", ("install",), user="nobody",
       job="package"),
    sh("token-chmod", "shell", "circleci", {"secrets/registry-token": "s3cr3t\n",
                                            "scripts/login.sh": "#!/bin/sh\nset -e\n"
                                            "TOKEN=$(cat secrets/registry-token)\n"
                                            "echo \"token has ${#TOKEN} characters\"\n"},
       ("./scripts/login.sh",), "permission", "cat: Permission denied on a secret file",
       user="nobody", pre="chmod 600 secrets/registry-token", job="publish"),
    sh("goout-opt", "go", "jenkins", {"go.mod": "module example.com/goout\n\ngo 1.19\n",
                                      "main.go": "package main\n\nfunc main() {}\n"},
       ("go build -o /opt/acme/bin/goout .",), "permission",
       "go build: open /opt/acme/bin/goout: permission denied", ("go",), user="nobody",
       pre="mkdir -p /opt/acme/bin", job="build"),
    sh("layers-tar-disk", "docker", "gitlab", {}, (
        "mkdir -p rootfs && tar -C rootfs -xzf /tmp/kffresh/cache/layer.tar.gz",),
       "disk", "tar: Cannot write: No space left on device", ("tar",),
       pre="mkdir -p rootfs && mount -t tmpfs -o size=600k tmpfs rootfs && "
       "[ -f /tmp/kffresh/cache/layer.tar.gz ] || (mkdir -p /tmp/kffresh/cache/layer/usr/lib && "
       "head -c 3000000 /dev/urandom > /tmp/kffresh/cache/layer/usr/lib/libicudata.so.72 && "
       "tar -C /tmp/kffresh/cache/layer -czf /tmp/kffresh/cache/layer.tar.gz .)",
       post="umount rootfs", job="unpack"),
    sh("api-go-cache-disk", "go", "circleci", {"go.mod": "module example.com/api\n\ngo 1.19\n",
                                               "main.go": "package main\n\nimport (\n"
                                               "\t\"encoding/json\"\n\t\"net/http\"\n)\n\n"
                                               "func main() {\n\thttp.HandleFunc(\"/\", "
                                               "func(w http.ResponseWriter, r *http.Request) {\n"
                                               "\t\tjson.NewEncoder(w).Encode(map[string]int"
                                               "{\"ok\": 1})\n\t})\n}\n"},
       ("go build -o out/api .",), "disk",
       "go build: no space left on device writing the binary", ("go",),
       pre="mkdir -p out && mount -t tmpfs -o size=200k tmpfs out",
       post="umount out", env={"GOCACHE": "/tmp/kffresh/gocache"}, job="build"),
    sh("artifacts-cp-disk", "shell", "github", {}, (
        "mkdir -p build && head -c 2000000 /dev/zero > build/app.bin && cp build/app.bin "
        "artifacts/app-$(date +%Y%m%d).bin",), "disk",
       "cp: error writing: No space left on device", ("cp",),
       pre="mkdir -p artifacts && mount -t tmpfs -o size=1m tmpfs artifacts",
       post="umount artifacts", job="package"),
    sh("wheels-pip-disk", "python", "buildkite", {"requirements.txt": "requests==2.32.3\n"
                                                  "urllib3==2.2.3\nidna==3.10\n"}, (
        "python -m pip download -r requirements.txt -d wheelhouse",), "disk",
       "pip: OSError Errno 28 No space left on device (wheelhouse volume)", ("python",),
       pre="mkdir -p wheelhouse && mount -t tmpfs -o size=150k tmpfs wheelhouse",
       post="umount wheelhouse", job="wheels"),
    sh("indexer-jvm-heap", "jvm", "circleci", {
        "Indexer.java": "import java.util.*;\n\npublic class Indexer {\n"
        "  public static void main(String[] a) {\n    System.out.println(\"indexing documents\");"
        "\n    Map<Integer, String> idx = new HashMap<>();\n"
        "    for (int i = 0; ; i++) idx.put(i, \"doc-\" + i + \"-\" + \"x\".repeat(40));\n"
        "  }\n}\n"},
       ("java -Xmx24m Indexer.java",), "memory", "java.lang.OutOfMemoryError: Java heap space",
       ("java",), job="index"),
    sh("render-ruby-nomem", "ruby", "gitlab", {
        "bin/render": "#!/usr/bin/env ruby\nputs 'rendering 500 pages'\n"
        "pages = Array.new(400_000_000) { |i| i }\nputs pages.size\n"},
       (Step("ruby bin/render", memory_kb=500_000),), "memory",
       "Ruby: failed to allocate memory (NoMemoryError)", ("ruby",), job="render"),
    sh("words-perl-oom", "perl", "travis", {
        "bin/count.pl": "#!/usr/bin/perl\nuse strict;\nmy @w;\nprint \"counting words\\n\";\n"
        "push @w, 'x' x 100 for 1 .. 50_000_000;\nprint scalar(@w), \"\\n\";\n"},
       (Step("perl bin/count.pl", memory_kb=300_000),), "memory", "Perl: Out of memory!",
       ("perl",),
       job="count"),
    sh("broker-go-mapwrite", "go", "github", {"go.mod": "module example.com/broker\n\ngo 1.19\n",
                                              "main.go": "package main\n\nimport (\n"
                                              "\t\"fmt\"\n\t\"sync\"\n)\n\nfunc main() {\n"
                                              "\tm := map[int]int{}\n\tvar wg sync.WaitGroup\n"
                                              "\tfor g := 0; g < 8; g++ {\n\t\twg.Add(1)\n"
                                              "\t\tgo func(g int) {\n\t\t\tdefer wg.Done()\n"
                                              "\t\t\tfor i := 0; i < 1e6; i++ {\n"
                                              "\t\t\t\tm[i%100] = g\n\t\t\t}\n\t\t}(g)\n\t}\n"
                                              "\twg.Wait()\n\tfmt.Println(len(m))\n}\n"},
       ("go run .",), "crash", "Go: fatal error: concurrent map writes", ("go",),
       env={"GOCACHE": "/tmp/kffresh/gocache"}, job="simulate"),
    sh("geom-terminate", "c-cpp", "circleci", {"src/main.cpp": "#include <vector>\n"
                                               "#include <iostream>\n\nint main() {\n"
                                               "    std::vector<int> v{1, 2, 3};\n"
                                               "    std::cout << \"reading mesh\" << std::endl;\n"
                                               "    return v.at(7);\n}\n"},
       ("g++ -O1 src/main.cpp -o geom && ./geom",), "crash",
       "C++: terminate called after throwing std::out_of_range (Aborted)", ("g++",),
       job="run"),
    sh("worker-ruby-segv", "ruby", "jenkins", {"bin/worker": "#!/usr/bin/env ruby\n"
                                               "puts 'worker booted'\n$stdout.flush\n"
                                               "Process.kill(:SEGV, Process.pid)\nsleep 1\n"},
       ("ruby bin/worker",), "crash", "Ruby [BUG] Segmentation fault report", ("ruby",),
       job="worker"),
    py("cart-py-flaky", "travis", {"tests/test_cart.py": FLAKY_PY.format(
        name="checkout_total_refresh", message="total not refreshed after coupon: 41.0 != 36.9")},
       (INSTALL, "python -m pytest -p no:cacheprovider --reruns 2 --fail-on-flaky"), "flaky",
       "pytest-rerunfailures flaky test, --fail-on-flaky", project="cartpy"),
    py("notify-py-flaky", "buildkite", {"tests/test_notify.py": FLAKY_PY.format(
        name="webhook_delivery_order", message="events delivered out of order")},
       ("python -m pytest -v -p no:cacheprovider --reruns 1 --fail-on-flaky",), "flaky",
       "pytest-rerunfailures flaky test, --fail-on-flaky", project="notify"),
    sh("prices-csv-data", "python", "travis", {
        "scripts/validate_prices.py": "import csv\nimport sys\n\nbad = 0\nwith "
        "open('data/prices.csv') as f:\n    for n, row in enumerate(csv.DictReader(f), 2):\n"
        "        try:\n            if float(row['price']) < 0:\n"
        "                raise ValueError('price must be >= 0')\n"
        "        except ValueError as e:\n            print(f'data/prices.csv:{n}: {e} "
        "({row})')\n            bad += 1\nprint(f'{bad} invalid rows')\n"
        "sys.exit(1 if bad else 0)\n",
        "data/prices.csv": "sku,price\nA-1,9.90\nA-2,-4.00\nA-3,twelve\nA-4,3.50\n"},
       ("python scripts/validate_prices.py",), "data", "CSV validation: invalid rows",
       ("python",), job="validate"),
    sh("config-jq-data", "shell", "gitlab", {
        "data/regions.json": '{"regions": [{"id": "eu-1", "name": "Frankfurt"},\n'
        '  {"id": "us-2", "name": "Oregon"\n]}\n'},
       ("jq -e '.regions | length > 0' data/regions.json",), "data",
       "jq: parse error in a data file", ("jq",), job="validate"),
    sh("menu-schema-yaml", "python", "buildkite", {
        "schema/menu.json": '{"type": "object", "required": ["items"], "properties": '
        '{"items": {"type": "array", "items": {"type": "object", "required": ["title", '
        '"url"], "properties": {"url": {"type": "string", "pattern": "^/"}}}}}}\n',
        "data/menu.yaml": "items:\n  - title: Home\n    url: /\n  - title: Docs\n"
        "    url: docs/index.html\n  - title: Blog\n"},
       ("check-jsonschema --schemafile schema/menu.json data/menu.yaml",), "data",
       "check-jsonschema: YAML data file fails the schema", ("check-jsonschema",),
       job="validate"),
    Scenario(name="embed-size-limit", ecosystem="javascript", ci="github", files={
        "package.json": '{"name": "embed", "version": "1.0.0", "private": true, '
        '"devDependencies": {"size-limit": "^12.1.0", "@size-limit/file": "^12.1.0"}}\n',
        "dist/embed.js": "!function(){var q='" + NOISE + "';}();\n",
        ".size-limit.json": '[{"name": "embed script", "path": "dist/embed.js", "limit": '
        '"2 kB", "gzip": false}]\n'},
        steps=("npx size-limit",), category="performance", why="size-limit over budget",
        project="embed", tools=("npx",), share="js/node_modules", job="size"),
    py("parse-benchmark", "gitlab", {"tests/test_speed.py": "import json\n\n\n"
       "def test_parse_speed(benchmark):\n    doc = json.dumps({'k%d' % i: i for i in "
       "range(2000)})\n    benchmark(json.loads, doc)\n"},
       ("python -m pytest -p no:cacheprovider --benchmark-storage=.benchmarks "
        "--benchmark-compare=0001 --benchmark-compare-fail=min:10%",), "performance",
       "pytest-benchmark: min regressed beyond 10%",
       pre="mkdir -p .benchmarks/Linux-CPython-3.11-64bit && python3 -c \"import json;"
       "json.dump({'machine_info': {'node': 'ci'}, 'commit_info': {'id': 'f00d'}, "
       "'benchmarks': [{'group': None, 'name': 'test_parse_speed', 'fullname': "
       "'tests/test_speed.py::test_parse_speed', 'params': None, 'param': None, 'extra_info': "
       "{}, 'options': {}, 'stats': {'min': 1e-06, 'max': 3e-06, 'mean': 1.5e-06, 'stddev': "
       "1e-07, 'rounds': 1000, 'median': 1.5e-06, 'iqr': 1e-07, 'q1': 1.4e-06, 'q3': 1.6e-06, "
       "'iqr_outliers': 0, 'stddev_outliers': 0, 'outliers': '0;0', 'ld15iqr': 1e-06, "
       "'hd15iqr': 2e-06, 'ops': 600000.0, 'total': 0.0015, 'iterations': 1}}], 'datetime': "
       "'2025-12-01T10:00:00', 'version': '4.0.0'}, open('.benchmarks/Linux-CPython-3.11-64bit/"
       "0001_main.json','w'))\"", project="parse"),
    sh("deploy-make-silent", "shell", "jenkins", {"Makefile": "deploy:\n\t@test -f "
                                                  ".deploy-ok\n"},
       ("make deploy",), "unclear", "make: *** [deploy] Error 1 with nothing before it",
       ("make",)),
    Scenario(name="ship-npm-silent", ecosystem="javascript", ci="buildkite", files={
        "package.json": '{"name": "ship", "version": "1.0.0", "private": true, "scripts": '
        '{"release": "node scripts/release.js"}}\n',
        "scripts/release.js": "process.exitCode = 3;\n"},
        steps=("npm run release",), category="unclear", why="a script exits 3 silently",
        project="ship", tools=("npm",), job="release"),
    Scenario(name="billing-ui-flaky", ecosystem="javascript", ci="circleci", files={
        "package.json": '{"name": "billingui", "version": "1.0.0", "private": true}\n',
        "playwright.config.js": "const { defineConfig } = require('@playwright/test');\n"
        "module.exports = defineConfig({ testDir: 'tests', retries: 1, failOnFlakyTests: "
        "true, reporter: 'line' });\n",
        "tests/invoice.spec.js": "const { test, expect } = require('@playwright/test');\n"
        "const fs = require('fs');\n\ntest('invoice PDF link appears', async () => {\n"
        "  const seen = fs.existsSync('.seen');\n  fs.writeFileSync('.seen', '1');\n"
        "  expect(seen, 'download link rendered').toBe(true);\n});\n"},
        steps=("npx playwright test",), category="flaky",
        why="Playwright: passed on retry, failOnFlakyTests", project="billingui",
        tools=("npx",), share="js/node_modules", job="e2e"),
    Scenario(name="warehouse-mvn-disk", ecosystem="jvm", ci="travis", files={
        "pom.xml": """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>warehouse-api</artifactId>
  <version>2.0.0-SNAPSHOT</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
    </plugins>
  </build>
</project>
""",
        "src/main/resources/catalog.bin": "x" * 400_000,
        "src/main/java/com/acme/App.java": "package com.acme;\n\npublic class App {\n"
        "  public static void main(String[] a) { System.out.println(\"ok\"); }\n}\n"},
        steps=("mvn -B -o compile",), category="disk",
        why="Maven: No space left on device copying resources into target/",
        project="warehouseapi", tools=("mvn",),
        pre="mkdir -p target && mount -t tmpfs -o size=128k tmpfs target",
        post="umount target", job="build"),
]
