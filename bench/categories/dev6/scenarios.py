"""dev6's produced scenarios: tiny projects, each broken in one way, and the steps a job runs.

The steps run for real (`make_logs.py`); a scenario's name says what was broken, its label
in `../labels.tsv` says what the log shows, written after reading it.
"""

# ruff: noqa: E501 - each scenario's files are written out whole, one literal a file

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    ecosystem: str
    ci: str  # "github", "gitlab", "circleci", "jenkins", "buildkite", "azure" or "travis"
    repo: str  # owner/name the frame shows
    files: dict[str, str]
    steps: tuple[str, ...]
    setup_actions: tuple[str, ...] = ()
    setup_with: str = ""
    image: str = "ubuntu:24.04"
    node: bool = False  # link the tools' node_modules into the project
    job: str = "build"

    @property
    def workdir(self) -> str:
        owner, name = self.repo.split("/")
        return {
            "github": f"/home/runner/work/{name}/{name}",
            "gitlab": f"/builds/{self.repo}",
            "circleci": "/home/circleci/project",
            "jenkins": f"/var/lib/jenkins/workspace/{name}_main",
            "buildkite": f"/var/lib/buildkite-agent/builds/ci-agent-3/{owner}/{name}",
            "azure": "/home/vsts/work/1/s",
            "travis": f"/home/travis/build/{self.repo}",
        }[self.ci]

    @property
    def home(self) -> str:
        """The CI user's home directory (tool caches live under it)."""
        return {"github": "/home/runner", "gitlab": "/root", "circleci": "/home/circleci",
                "jenkins": "/var/lib/jenkins", "buildkite": "/var/lib/buildkite-agent",
                "azure": "/home/vsts", "travis": "/home/travis"}[self.ci]

    @property
    def python_prefix(self) -> str:
        return {"github": "/opt/hostedtoolcache/Python/3.11.7/x64",
                "azure": "/opt/hostedtoolcache/Python/3.11.7/x64",
                "circleci": "/home/circleci/.pyenv/versions/3.11.7",
                "travis": "/home/travis/virtualenv/python3.11.7"}.get(self.ci, "/usr/local")


PY = ("actions/setup-python@v5",)
PYW = "python-version: 3.11"
NODE = ("actions/setup-node@v4",)
NODEW = "node-version: 20"
RUST = ("dtolnay/rust-toolchain@stable",)
GO = ("actions/setup-go@v5",)
JAVA = ("actions/setup-java@v4",)
RUBY = ("ruby/setup-ruby@v1",)

CALC = "def add(a, b):\n    return a + b\n\n\ndef mean(xs):\n    return sum(xs) / len(xs) + 1\n"
REQ = "pytest\n"

PYTHON = [
    Scenario("py-pytest-assert", "python", "github", "fernhill/ledgerkit",
             {"ledgerkit/__init__.py": "", "ledgerkit/calc.py": CALC, "requirements.txt": REQ,
              "tests/test_calc.py": "from ledgerkit.calc import add, mean\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n"},
             ("pip install -r requirements.txt", "python -m pytest -q"), PY, PYW, job="test (3.11)"),
    Scenario("py-collect-missing-dep", "python", "github", "fernhill/feedsync",
             {"feedsync/__init__.py": "", "feedsync/client.py": "import httpx\n\n\ndef fetch(url):\n    return httpx.get(url).text\n",
              "requirements.txt": REQ,
              "tests/test_client.py": "from feedsync.client import fetch\n\n\ndef test_fetch_is_callable():\n    assert callable(fetch)\n"},
             ("pip install -r requirements.txt", "python -m pytest"), PY, PYW, job="tests"),
    Scenario("py-collect-own-module", "python", "gitlab", "data-eng/etl-jobs",
             {"src/etl/__init__.py": "", "src/etl/clean.py": "def strip(s):\n    return s.strip()\n",
              "tests/test_clean.py": "from etl.clean import strip\n\n\ndef test_strip():\n    assert strip(' a ') == 'a'\n"},
             ("python --version", "pytest tests/"), image="python:3.11-slim", job="unit"),
    Scenario("py-mypy", "python", "github", "fernhill/quotaguard",
             {"quotaguard/__init__.py": "",
              "quotaguard/limits.py": "from typing import Optional\n\n\ndef remaining(used: int, limit: Optional[int]) -> int:\n    return limit - used\n\n\ndef label(n: int) -> str:\n    return n * 2\n\n\ncount: int = \"zero\"\n",
              "requirements.txt": "mypy\n"},
             ("pip install -r requirements.txt", "mypy quotaguard"), PY, PYW, job="typecheck"),
    Scenario("py-ruff", "python", "gitlab", "platform/deploy-bot",
             {"deploy_bot/__init__.py": "",
              "deploy_bot/main.py": "import os\nimport sys\nimport json\n\n\ndef run(cfg):\n    try:\n        return json.loads(cfg)\n    except:\n        return None\n\n\ndef unused():\n    x = 1\n    return None\n"},
             ("ruff --version", "ruff check ."), image="python:3.12-slim", job="lint"),
    Scenario("py-ruff-format", "python", "github", "fernhill/tinyconf",
             {"tinyconf/__init__.py": "", "tinyconf/load.py": "def load( path ):\n    with open(path) as f :\n        return f.read( )\nVALUES = {'a':1,'b':2}\n"},
             ("ruff format --check --diff .",), PY, PYW, job="format"),
    Scenario("py-flake8", "python", "github", "fernhill/sitemapper",
             {"sitemapper/__init__.py": "", "sitemapper/walk.py": "import os, re\n\ndef walk(root):\n    for d,_,files in os.walk(root):\n        for f in files:\n            yield os.path.join(d,f)\ndef very_long_function_name_for_checking(argument_one, argument_two, argument_three, argument_four):\n    return undefined_name\n"},
             ("pip install flake8", "flake8 sitemapper --count --statistics"), PY, PYW, job="lint"),
    Scenario("py-pip-nomatch", "python", "github", "fernhill/reportgen",
             {"requirements.txt": "pytest\nrequests==99.0.0\n"},
             ("python -m pip install --upgrade pip wheel", "pip install -r requirements.txt", "pytest"), PY, PYW,
             job="test"),
    Scenario("py-pip-conflict", "python", "gitlab", "data-eng/warehouse-loader",
             {"requirements.txt": "pytest==9.2.0\npluggy<1.0\n"},
             ("python -m venv .venv", ".venv/bin/pip install -r requirements.txt"), image="python:3.11", job="install"),
    Scenario("py-syntax", "python", "github", "fernhill/notifier",
             {"notifier/__init__.py": "", "notifier/send.py": "def send(msg)\n    return msg\n",
              "tests/test_send.py": "from notifier.send import send\n\n\ndef test_send():\n    assert send('x') == 'x'\n",
              "requirements.txt": REQ},
             ("pip install -r requirements.txt", "python -m pytest -q"), PY, PYW, job="test"),
    Scenario("py-unittest", "python", "gitlab", "tools/slugger",
             {"slugger.py": "def slug(s):\n    return s.lower().replace(' ', '_')\n",
              "test_slugger.py": "import unittest\n\nfrom slugger import slug\n\n\nclass SlugTest(unittest.TestCase):\n    def test_dash(self):\n        self.assertEqual(slug('Hello World'), 'hello-world')\n\n    def test_lower(self):\n        self.assertEqual(slug('ABC'), 'abc')\n\n\nif __name__ == '__main__':\n    unittest.main()\n"},
             ("python -m unittest -v",), image="python:3.11-slim", job="test"),
    Scenario("py-fixture-missing", "python", "github", "fernhill/orders-api",
             {"requirements.txt": REQ,
              "tests/test_orders.py": "def test_create_order(api_client):\n    assert api_client.post('/orders').status == 201\n\n\ndef test_health():\n    assert True\n"},
             ("pip install -r requirements.txt", "pytest -ra"), PY, PYW, job="test"),
]

PKG = '{\n  "name": "%s",\n  "version": "1.0.0",\n  "private": true,\n  "scripts": %s\n}\n'
TSCONFIG = '{\n  "compilerOptions": {"strict": true, "rootDir": "src", "target": "es2020", "module": "commonjs", "outDir": "dist", "types": []},\n  "include": ["src"]\n}\n'
ESLINTRC = '{\n  "root": true,\n  "env": {"node": true, "es2021": true},\n  "extends": "eslint:recommended",\n  "rules": {"semi": ["error", "always"], "quotes": ["error", "double"]}\n}\n'

JS = [
    Scenario("js-tsc", "javascript", "github", "kettle-labs/cart-service",
             {"package.json": PKG % ("cart-service", '{"typecheck": "tsc --noEmit"}'), "tsconfig.json": TSCONFIG,
              "src/cart.ts": "export interface Item { sku: string; qty: number }\n\nexport function total(items: Item[]): number {\n  const n: number = items.map(i => i.sku);\n  return n;\n}\n\nexport const first: string = total([]);\n"},
             ("node --version", "npm run typecheck"), NODE, NODEW, node=True, job="typecheck"),
    Scenario("js-eslint", "javascript", "github", "kettle-labs/webhooks",
             {"package.json": PKG % ("webhooks", '{"lint": "eslint src"}'), ".eslintrc.json": ESLINTRC,
              "src/handler.js": "const crypto = require('crypto')\n\nfunction verify(sig, body) {\n  var unused = 1\n  return sig == body\n}\n\nmodule.exports = { verify }\n"},
             ("npm run lint",), NODE, NODEW, node=True, job="lint"),
    Scenario("js-jest", "javascript", "github", "kettle-labs/pricing",
             {"package.json": PKG % ("pricing", '{"test": "jest --ci"}'),
              "src/price.js": "function withVat(n) {\n  return n + n * 0.02;\n}\nmodule.exports = { withVat };\n",
              "src/price.test.js": "const { withVat } = require('./price');\n\ntest('adds 20% VAT', () => {\n  expect(withVat(100)).toBe(120);\n});\n\ntest('rounds to cents', () => {\n  expect(withVat(0.1)).toBe(0.12);\n});\n"},
             ("npm test",), NODE, NODEW, node=True, job="test"),
    Scenario("js-npm-404", "javascript", "github", "kettle-labs/status-page",
             {"package.json": '{\n  "name": "status-page",\n  "version": "1.0.0",\n  "dependencies": {\n    "kettle-internal-widgets-zz9": "^2.1.0"\n  }\n}\n'},
             ("npm install",), NODE, NODEW, job="build"),
    Scenario("js-eresolve", "javascript", "gitlab", "frontend/admin-console",
             {"package.json": '{\n  "name": "admin-console",\n  "version": "0.3.0",\n  "dependencies": {\n    "react": "18.3.1",\n    "react-dom": "16.14.0"\n  }\n}\n'},
             ("node --version", "npm install --no-audit --no-fund"), image="node:20", job="install"),
    Scenario("js-missing-script", "javascript", "github", "kettle-labs/mailer",
             {"package.json": PKG % ("mailer", '{"test": "node --test"}')},
             ("npm run lint",), NODE, NODEW, job="lint"),
    Scenario("js-jest-missing-module", "javascript", "gitlab", "frontend/date-utils",
             {"package.json": PKG % ("date-utils", '{"test": "jest"}'),
              "src/fmt.js": "const dayjs = require('dayjs');\nmodule.exports = (d) => dayjs(d).format('YYYY');\n",
              "src/fmt.test.js": "const fmt = require('./fmt');\n\ntest('year', () => {\n  expect(fmt('2020-01-02')).toBe('2020');\n});\n"},
             ("npm test",), image="node:20", node=True, job="test"),
    Scenario("js-node-test", "javascript", "github", "kettle-labs/queue-lite",
             {"package.json": PKG % ("queue-lite", '{"test": "node --test"}'),
              "test/queue.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\n\ntest('fifo order', () => {\n  const q = [1, 2, 3];\n  assert.strictEqual(q.pop(), 1);\n});\n\ntest('empty', () => {\n  assert.deepStrictEqual([], []);\n});\n"},
             ("npm test",), NODE, NODEW, job="test"),
    Scenario("js-tsc-build", "javascript", "gitlab", "frontend/sdk-js",
             {"package.json": PKG % ("sdk-js", '{"build": "tsc -p tsconfig.json"}'), "tsconfig.json": TSCONFIG,
              "src/index.ts": "function greet(name: string): string {\n  return 'hi ' + name;\n}\n\nexport const out = greet(42);\nexport const v: number = undefined;\n"},
             ("npm run build",), image="node:20", node=True, job="build"),
    Scenario("js-jest-syntax", "javascript", "github", "kettle-labs/tokenizer",
             {"package.json": PKG % ("tokenizer", '{"test": "jest"}'),
              "src/tok.js": "function split(s) {\n  return s.split(' ')\n}}\nmodule.exports = { split };\n",
              "src/tok.test.js": "const { split } = require('./tok');\n\ntest('split', () => {\n  expect(split('a b')).toEqual(['a', 'b']);\n});\n"},
             ("npm test",), NODE, NODEW, node=True, job="test"),
]

CARGO = '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'

RUST_SC = [
    Scenario("rs-e0308", "rust", "github", "ferrous-tools/units",
             {"Cargo.toml": CARGO % "units", "src/lib.rs": "pub fn meters(feet: f64) -> f64 {\n    let m: u32 = feet * 0.3048;\n    m\n}\n"},
             ("cargo build --verbose",), RUST, "toolchain: stable", job="build"),
    Scenario("rs-test", "rust", "gitlab", "systems/ringbuf",
             {"Cargo.toml": CARGO % "ringbuf",
              "src/lib.rs": "pub fn wrap(i: usize, n: usize) -> usize {\n    (i + 1) % (n + 1)\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn wraps_at_end() {\n        assert_eq!(wrap(3, 4), 0);\n    }\n\n    #[test]\n    fn advances() {\n        assert_eq!(wrap(0, 4), 1);\n    }\n}\n"},
             ("cargo test",), image="rust:1.83", job="test"),
    Scenario("rs-clippy", "rust", "github", "ferrous-tools/pathnorm",
             {"Cargo.toml": CARGO % "pathnorm",
              "src/lib.rs": "pub fn is_empty_path(p: &String) -> bool {\n    if p.len() == 0 {\n        return true;\n    } else {\n        return false;\n    }\n}\n"},
             ("cargo clippy --all-targets -- -D warnings",), RUST, "components: clippy", job="clippy"),
    Scenario("rs-fmt", "rust", "github", "ferrous-tools/tally",
             {"Cargo.toml": CARGO % "tally", "src/lib.rs": "pub fn tally(xs:&[u32])->u32{ xs.iter().sum() }\n"},
             ("cargo fmt --all -- --check",), RUST, "components: rustfmt", job="fmt"),
    Scenario("rs-e0425", "rust", "gitlab", "systems/cfgparse",
             {"Cargo.toml": CARGO % "cfgparse",
              "src/main.rs": "fn main() {\n    let cfg = parse_config(\"a=b\");\n    println!(\"{:?}\", cfg);\n}\n"},
             ("cargo build --release",), image="rust:1.83", job="build"),
]

GOMOD = "module example.com/%s\n\ngo 1.19\n"

GO_SC = [
    Scenario("go-test", "go", "github", "gopher-works/ratelimit",
             {"go.mod": GOMOD % "ratelimit",
              "limit.go": "package ratelimit\n\nfunc Allow(used, max int) bool {\n\treturn used <= max\n}\n",
              "limit_test.go": "package ratelimit\n\nimport \"testing\"\n\nfunc TestAllowAtMax(t *testing.T) {\n\tif Allow(5, 5) {\n\t\tt.Errorf(\"Allow(5, 5) = true, want false\")\n\t}\n}\n\nfunc TestAllowUnder(t *testing.T) {\n\tif !Allow(1, 5) {\n\t\tt.Fatal(\"want true\")\n\t}\n}\n"},
             ("go version", "go test -v ./..."), GO, "go-version: '1.19'", job="test"),
    Scenario("go-build", "go", "gitlab", "infra/healthd",
             {"go.mod": GOMOD % "healthd",
              "main.go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(statusLine(200))\n}\n\nfunc status(code int) string {\n\treturn fmt.Sprint(code)\n}\n"},
             ("go build ./...",), image="golang:1.19", job="build"),
    Scenario("go-vet", "go", "github", "gopher-works/logfmt",
             {"go.mod": GOMOD % "logfmt",
              "fmt.go": "package logfmt\n\nimport \"fmt\"\n\nfunc Line(k string, v int) string {\n\treturn fmt.Sprintf(\"%s=%s\", k, v)\n}\n"},
             ("go vet ./...",), GO, "go-version: '1.19'", job="vet"),
    Scenario("go-fmt", "go", "github", "gopher-works/slug",
             {"go.mod": GOMOD % "slug", "slug.go": "package slug\n\nimport \"strings\"\n\nfunc Make(s string) string {\n  return strings.ToLower( s )\n}\n"},
             ('test -z "$(gofmt -l . | tee /dev/stderr)" || { echo "Run gofmt on the files above"; exit 1; }',),
             GO, "go-version: '1.19'", job="fmt"),
    Scenario("go-missing-module", "go", "gitlab", "infra/certwatch",
             {"go.mod": GOMOD % "certwatch",
              "main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/pkg/errors\"\n)\n\nfunc main() {\n\tfmt.Println(errors.New(\"x\"))\n}\n"},
             ("go env GOPROXY GOFLAGS", "go build ./..."), image="golang:1.19", job="build"),
]

CMAKE = "cmake_minimum_required(VERSION 3.16)\nproject(%s C CXX)\n%s"

C_SC = [
    Scenario("c-cmake-boost", "c-cpp", "github", "lattice-dev/geomkit",
             {"CMakeLists.txt": CMAKE % ("geomkit", "find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)\nadd_executable(geomkit main.cpp)\n"),
              "main.cpp": "int main() { return 0; }\n"},
             ("cmake -S . -B build -DCMAKE_BUILD_TYPE=Release", "cmake --build build"), (), "", job="build (ubuntu-latest)"),
    Scenario("c-gcc-error", "c-cpp", "github", "lattice-dev/bitset",
             {"CMakeLists.txt": CMAKE % ("bitset", "add_library(bitset bitset.c)\n"),
              "bitset.c": "#include <stdint.h>\n\nint popcount(uint64_t x) {\n    int n = 0;\n    while (x) { x &= x - 1; n++; }\n    return count;\n}\n"},
             ("cmake -S . -B build", "cmake --build build --parallel"), (), "", job="build"),
    Scenario("c-link", "c-cpp", "gitlab", "embedded/crc-tool",
             {"CMakeLists.txt": CMAKE % ("crc", "add_executable(crc main.c)\n"),
              "main.c": "#include <stdio.h>\nunsigned crc32_update(unsigned crc, const char *buf, int len);\nint main(void) { printf(\"%u\\n\", crc32_update(0, \"a\", 1)); return 0; }\n"},
             ("cmake -S . -B build", "cmake --build build"), image="gcc:14", job="build"),
    Scenario("c-ctest", "c-cpp", "github", "lattice-dev/strbuf",
             {"CMakeLists.txt": CMAKE % ("strbuf", "enable_testing()\nadd_executable(test_strbuf test_strbuf.c)\nadd_test(NAME strbuf_append COMMAND test_strbuf)\nadd_test(NAME strbuf_true COMMAND true)\n"),
              "test_strbuf.c": "#include <assert.h>\n#include <string.h>\nint main(void) {\n    char b[8] = \"ab\";\n    strcat(b, \"c\");\n    assert(strlen(b) == 4);\n    return 0;\n}\n"},
             ("cmake -S . -B build", "cmake --build build", "cd build && ctest --output-on-failure"), (), "", job="test"),
    Scenario("c-werror", "c-cpp", "gitlab", "embedded/ringlog",
             {"CMakeLists.txt": CMAKE % ("ringlog", "add_compile_options(-Wall -Wextra -Werror)\nadd_library(ringlog ringlog.c)\n"),
              "ringlog.c": "int ring_next(int i, int n) {\n    int unused;\n    return (i + 1) % n;\n}\n"},
             ("cmake -S . -B build", "cmake --build build"), image="gcc:14", job="build"),
]

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId>
  <artifactId>%s</artifactId>
  <version>1.0-SNAPSHOT</version>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.10.2</version><scope>test</scope></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version></plugin>
    </plugins>
  </build>
</project>
"""

JAVA_SC = [
    Scenario("java-compile", "jvm", "github", "tidewater/invoice-core",
             {"pom.xml": POM % "invoice-core",
              "src/main/java/org/example/Invoice.java": "package org.example;\n\npublic class Invoice {\n    public long totalCents() {\n        return lines.stream().mapToLong(Line::cents).sum();\n    }\n}\n"},
             ("mvn -B -o package --file pom.xml",), JAVA, "java-version: '17'", job="build"),
    Scenario("java-test", "jvm", "gitlab", "backend/fx-rates",
             {"pom.xml": POM % "fx-rates",
              "src/main/java/org/example/Rates.java": "package org.example;\n\npublic class Rates {\n    public static double convert(double amount, double rate) {\n        return amount / rate;\n    }\n}\n",
              "src/test/java/org/example/RatesTest.java": "package org.example;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass RatesTest {\n    @Test\n    void convertsWithRate() {\n        assertEquals(200.0, Rates.convert(100.0, 2.0), 0.001);\n    }\n\n    @Test\n    void identity() {\n        assertEquals(5.0, Rates.convert(5.0, 1.0), 0.001);\n    }\n}\n"},
             ("mvn -B -o verify",), image="maven:3.9-eclipse-temurin-17", job="test"),
]

RUBY_SC = [
    Scenario("rb-rspec", "ruby", "github", "garnet-apps/invoicer",
             {"lib/invoicer.rb": "module Invoicer\n  def self.total(lines)\n    lines.sum { |l| l[:qty] * l[:price] } + 1\n  end\nend\n",
              "spec/invoicer_spec.rb": "require_relative '../lib/invoicer'\n\nRSpec.describe Invoicer do\n  it 'sums the lines' do\n    expect(Invoicer.total([{ qty: 2, price: 5 }])).to eq(10)\n  end\n\n  it 'is zero when empty' do\n    expect(Invoicer.total([])).to eq(0)\n  end\nend\n"},
             ("ruby --version", "rspec"), RUBY, "ruby-version: '3.1'", job="rspec"),
    Scenario("rb-rubocop", "ruby", "gitlab", "web/billing-portal",
             {"app/models/plan.rb": "class Plan\n  def price_for(seats)\n    if seats > 10 then return seats * 9 end\n    return seats*10\n  end\nend\n",
              ".rubocop.yml": "AllCops:\n  NewCops: enable\n  SuggestExtensions: false\n"},
             ("rubocop --version", "rubocop"), image="ruby:3.1", job="rubocop"),
    Scenario("rb-bundler-missing", "ruby", "gitlab", "web/mailer-jobs",
             {"Gemfile": "source 'https://rubygems.org'\n\ngem 'garnet_internal_queue', '~> 3.2'\ngem 'rspec'\n"},
             ("ruby --version", "bundle install --local"), image="ruby:3.1", job="test"),
    Scenario("rb-syntax", "ruby", "gitlab", "web/slug-helper",
             {"lib/slug.rb": "module Slug\n  def self.make(s)\n    s.downcase.tr(' ', '-')\n  end\n\n  def self.broken(\nend\n",
              "spec/slug_spec.rb": "require_relative '../lib/slug'\n\nRSpec.describe Slug do\n  it 'dashes' do\n    expect(Slug.make('A B')).to eq('a-b')\n  end\nend\n"},
             ("rspec",), image="ruby:3.1", job="rspec"),
]

TF = [
    Scenario("tf-validate", "terraform", "github", "cloudops-demo/network-stack",
             {"main.tf": "terraform {\n  required_version = \">= 1.5\"\n}\n\nvariable \"cidr\" {\n  type    = string\n  default = \"10.0.0.0/16\"\n  regex   = \"^10\\\\.\"\n}\n\noutput \"cidr\" {\n  value = var.cidr_block\n}\n"},
             ("terraform init -input=false -no-color", "terraform validate -no-color"), ("hashicorp/setup-terraform@v3",),
             "terraform_version: 1.11.4", job="validate"),
    Scenario("tf-fmt", "terraform", "gitlab", "infra/dns-zones",
             {"main.tf": "variable \"zone\" {\ntype = string\n  default=\"example.org\"\n}\n\noutput \"zone\" {\n  value = var.zone\n}\n"},
             ("terraform fmt -check -diff -recursive",), image="hashicorp/terraform:1.11", job="fmt"),
]

SCENARIOS: list[Scenario] = PYTHON + JS + RUST_SC + GO_SC + C_SC + JAVA_SC + RUBY_SC + TF
