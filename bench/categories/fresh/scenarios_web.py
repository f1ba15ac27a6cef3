"""JavaScript / TypeScript jobs: npm, Jest, Mocha, node:test, Playwright's runner, tsc, ESLint,
Prettier, esbuild, sass, secretlint, size-limit, node-postgres. The tools come from one shared
``node_modules`` (``$FRESH_CACHE/js``, installed once with npm) linked into each checkout, as a
CI cache restore would bring it back."""

from __future__ import annotations

import base64
import json
import random
from typing import Any

from make_logs import Scenario, Step

# an incompressible string, as minified code with embedded data is
NOISE = base64.b64encode(random.Random(7).randbytes(24_000)).decode()
SCRIPTS = {"test": "jest", "lint": "eslint src", "build": "tsc -p .", "format:check":
           "prettier --check src"}


def package(name: str, scripts: dict[str, str] | None = None, **extra: Any) -> str:
    body = {"name": name, "version": "2.3.0", "private": True,
            "scripts": scripts if scripts is not None else SCRIPTS, **extra}
    return json.dumps(body, indent=2) + "\n"


def js(name: str, ci: str, files: dict[str, str], steps: tuple[Step | str, ...], category: str,
       why: str, **kw: Any) -> Scenario:
    project = kw.pop("project", name.rsplit("-", 1)[0])
    scripts = kw.pop("scripts", None)
    files = {"package.json": package(project, scripts), **files}
    share = kw.pop("share", "js/node_modules")
    return Scenario(name=name, ecosystem="javascript", ci=ci, files=files, steps=steps,
                    category=category, why=why, project=project, tools=("node", "npm"),
                    share=share, job=kw.pop("job", "test"), **kw)


CART = """function total(items, percent = 0) {
  const sum = items.reduce((acc, it) => acc + it.price * it.qty, 0);
  return Math.round(sum * (100 - percent)) / 100;
}

function applyCoupon(cart, coupon) {
  if (!coupon.code.startsWith("SAVE")) return cart;
  return { ...cart, percent: Number(coupon.code.slice(4)) };
}

module.exports = { total, applyCoupon };
"""
CART_TEST = """const { total, applyCoupon } = require("../src/cart");

describe("cart", () => {
  test("total without discount", () => {
    expect(total([{ price: 2.5, qty: 4 }])).toBe(10);
  });
  test("total with 10% off", () => {
    expect(total([{ price: 20, qty: 1 }], 10)).toBe(18);
  });
  test("coupon sets the percent", () => {
    expect(applyCoupon({ items: [] }, { code: "SAVE15" }).percent).toBe(15);
  });
});
"""
TSCONFIG = json.dumps({"compilerOptions": {"target": "ES2022", "module": "commonjs",
                                           "strict": True, "outDir": "dist",
                                           "esModuleInterop": True, "skipLibCheck": True},
                       "include": ["src"]}, indent=2) + "\n"
ESLINTRC = json.dumps({"root": True, "env": {"node": True, "es2022": True, "jest": True},
                       "extends": "eslint:recommended",
                       "rules": {"eqeqeq": "error", "no-console": "warn"}}, indent=2) + "\n"
PW_CONFIG = """const { defineConfig } = require("@playwright/test");
module.exports = defineConfig({
  testDir: "tests",
  retries: 2,
  failOnFlakyTests: true,
  reporter: "list",
});
"""


def flaky_spec(title: str, message: str) -> str:
    return f"""const {{ test, expect }} = require("@playwright/test");
const fs = require("fs");

test("{title}", async () => {{
  const marker = ".attempts";
  const n = fs.existsSync(marker) ? Number(fs.readFileSync(marker, "utf8")) : 0;
  fs.writeFileSync(marker, String(n + 1));
  await new Promise((r) => setTimeout(r, 50));
  expect(n, "{message}").toBeGreaterThan(0);
}});

test("renders the footer", async () => {{
  expect("© 2026 Acme").toContain("Acme");
}});
"""


SCENARIOS: list[Scenario] = [
    js("cart-jest", "github", {"src/cart.js": CART.replace("(100 - percent)", "(100 + percent)"),
                               "test/cart.test.js": CART_TEST},
       ("npm test",), "test", "Jest: expected 18, received 22"),
    js("checkout-jest-typeerror", "gitlab", {
        "src/cart.js": CART, "test/cart.test.js": CART_TEST.replace(
            '{ code: "SAVE15" }', '{ coupon: "SAVE15" }')},
       ("npm test -- --ci",), "test", "Jest: TypeError inside a test (reading startsWith)",
       project="checkout"),
    js("dates-mocha", "travis", {
        "src/dates.js": "function addDays(d, n) {\n  const r = new Date(d);\n"
        "  r.setDate(r.getDate() + n);\n  return r.toISOString().slice(0, 10);\n}\n"
        "function isWeekend(iso) {\n  const day = new Date(iso).getDay();\n"
        "  return day === 0;\n}\nmodule.exports = { addDays, isWeekend };\n",
        "test/dates.spec.js": "const assert = require('assert');\n"
        "const { addDays, isWeekend } = require('../src/dates');\n\n"
        "describe('dates', function () {\n  it('adds days across a month', function () {\n"
        "    assert.strictEqual(addDays('2024-01-30', 3), '2024-02-02');\n  });\n"
        "  it('knows saturdays are weekend days', function () {\n"
        "    assert.strictEqual(isWeekend('2024-06-01'), true);\n  });\n});\n"},
       ("npm test",), "test", "Mocha: AssertionError isWeekend(saturday)",
       scripts={"test": "mocha --reporter spec"}),
    js("queue-nodetest", "circleci", {
        "src/queue.js": "class Queue {\n  constructor() { this.items = []; }\n"
        "  push(x) { this.items.push(x); }\n  pop() { return this.items.pop(); }\n}\n"
        "module.exports = { Queue };\n",
        "test/queue.test.js": "const test = require('node:test');\n"
        "const assert = require('node:assert');\nconst { Queue } = require('../src/queue');\n\n"
        "test('fifo order', () => {\n  const q = new Queue();\n  q.push(1); q.push(2);\n"
        "  assert.deepStrictEqual([q.pop(), q.pop()], [1, 2]);\n});\n"},
       ("npm test",), "test", "node --test: deepStrictEqual fifo order",
       scripts={"test": "node --test test/"}, project="queue"),
    js("pwtests-playwright-fail", "buildkite", {
        "playwright.config.js": PW_CONFIG.replace("retries: 2", "retries: 0"),
        "tests/price.spec.js": "const { test, expect } = require('@playwright/test');\n\n"
        "test('formats prices in euros', async () => {\n"
        "  const fmt = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });\n"
        "  expect(fmt.format(1234.5)).toBe('1.234,50 EUR');\n});\n"},
       ("npx playwright test",), "test", "Playwright test runner: toBe mismatch (NBSP + €)",
       project="pwtests"),
    js("widgets-esbuild", "jenkins", {
        "src/index.js": "import { render } from './render.js';\nrender(document.body);\n",
        "src/render.js": "export function render(root) {\n  const el = <div>hello</div>;\n"
        "  root.appendChild(el);\n}\n"},
       ("npm run build",), "compile", "esbuild: JSX syntax not enabled for .js",
       scripts={"build": "esbuild src/index.js --bundle --outfile=dist/app.js"}),
    js("theme-sass", "gitlab", {
        "styles/main.scss": "$primary: #0a7;\n.button {\n  color: $primary;\n"
        "  &:hover { color: darken($primary 10%); }\n}\n"},
       ("npm run build:css",), "compile", "sass: expected ) in a function call",
       scripts={"build:css": "sass styles/main.scss dist/main.css"}),
    js("server-syntax", "github", {
        "src/server.js": "const http = require('http');\n\nconst routes = {\n"
        "  '/health': () => ({ ok: true }),\n  '/version': () => ({ v: '2.3.0' })\n"
        "  '/ready': () => ({ ready: true }),\n};\n\nmodule.exports = routes;\n",
        "test/server.test.js": "const routes = require('../src/server');\n"
        "test('health', () => expect(routes['/health']()).toEqual({ ok: true }));\n"},
       ("npm test",), "compile", "SyntaxError (missing comma) when Jest loads the module",
       project="server"),
    js("admin-eslint", "gitlab", {
        ".eslintrc.json": ESLINTRC,
        "src/users.js": "function findUser(users, id) {\n  for (var i = 0; i < users.length; "
        "i++) {\n    if (users[i].id == id) return users[i];\n  }\n  const unused = 1;\n}\n"
        "module.exports = { findUser, missing: helper };\n"},
       ("npm run lint",), "lint", "ESLint: eqeqeq, no-unused-vars, no-undef", project="admin"),
    js("landing-prettier", "circleci", {
        "src/app.js": "const  greet=(name)=>{return 'Hello, '+name}\nmodule.exports={greet}\n",
        "src/util.js": "module.exports = { id: (x) => x };\n"},
       ("npm run format:check",), "lint", "prettier --check: code style issues"),
    js("portal-eslint-warnings", "buildkite", {
        ".eslintrc.json": ESLINTRC,
        "src/log.js": "function debug(msg) {\n  console.log('[debug]', msg);\n}\n"
        "function info(msg) {\n  console.log('[info]', msg);\n}\nmodule.exports = { debug, "
        "info };\n"},
       ("npx eslint --max-warnings 0 src",), "lint",
       "ESLint: too many warnings (no-console) with --max-warnings 0", project="portal"),
    js("invoices-tsc", "github", {
        "tsconfig.json": TSCONFIG,
        "src/invoice.ts": "export interface Invoice { id: string; amountCents: number; "
        "paidAt?: Date }\n\nexport function label(inv: Invoice): string {\n"
        "  return inv.id + ': ' + inv.amountCents / 100;\n}\n\n"
        "export function paidYear(inv: Invoice): number {\n  return inv.paidAt.getFullYear();\n}"
        "\n\nexport const sample: Invoice = { id: 42, amountCents: 1999 };\n"},
       ("npm run build",), "type-check", "tsc: TS18048 possibly undefined, TS2322 number→string"),
    js("routing-tsc", "jenkins", {
        "tsconfig.json": TSCONFIG,
        "src/router.ts": "type Handler = (params: Record<string, string>) => string;\n\n"
        "const table = new Map<string, Handler>();\n\nexport function add(path: string, h: "
        "Handler) {\n  table.set(path, h);\n}\n\nadd('/users/:id', (p) => p.id.toUpperCase());\n"
        "add('/count', (p) => Number(p.n) + 1);\nadd(42, () => 'x');\n"},
       ("npx tsc --noEmit -p .",), "type-check", "tsc: TS2322/TS2345 handler and path types"),
    js("sdk-tsc-module", "travis", {
        "tsconfig.json": TSCONFIG,
        "src/index.ts": "import { retry } from './utilz';\n\nexport async function get(url: "
        "string): Promise<string> {\n  return retry(() => fetch(url).then((r) => r.text()), "
        "3);\n}\n",
        "src/utils.ts": "export async function retry<T>(fn: () => Promise<T>, n: number): "
        "Promise<T> {\n  try { return await fn(); } catch (e) { if (n <= 1) throw e; "
        "return retry(fn, n - 1); }\n}\n"},
       ("npm run build",), "type-check", "tsc: TS2307 cannot find module ./utilz", project="sdk"),
    js("dashboard-npm-404", "github", {
        "package.json": package("dashboard", {"test": "jest"}, dependencies={
            "react": "^18.2.0", "@acme-internal/design-tokens": "^3.1.0"})},
       (Step("npm install --no-audit --no-fund", name="install"), "npm test"), "dependency",
       "npm 404: a private scoped package not on the public registry", share=""),
    js("chart-npm-eresolve", "gitlab", {
        "package.json": package("chart", {"test": "jest"}, dependencies={
            "react": "17.0.2", "react-dom": "18.3.1"})},
       (Step("npm install --no-audit --no-fund", name="install"), "npm test"), "dependency",
       "npm ERESOLVE: react-dom 18 needs react ^18.3.1", share=""),
    js("mailer-js-cannot-find", "circleci", {
        "src/send.js": "require('dotenv').config();\nconst nodemailer = require('nodemailer');\n"
        "module.exports = () => nodemailer.createTransport({});\n",
        "test/send.test.js": "const send = require('../src/send');\n"
        "test('creates a transport', () => expect(send).toBeDefined());\n"},
       ("npm test",), "dependency", "Jest: Cannot find module nodemailer", project="mailer"),
    js("icons-npm-etarget", "travis", {
        "package.json": package("icons", {"test": "jest"}, dependencies={
            "lodash": "^9.0.0"})},
       (Step("npm install --no-audit --no-fund", name="install"), "npm test"), "dependency",
       "npm ETARGET: no matching version for lodash ^9", share=""),
    js("config-secretlint", "github", {
        ".secretlintrc.json": json.dumps({"rules": [
            {"id": "@secretlint/secretlint-rule-preset-recommend"}]}) + "\n",
        "config/production.js": "module.exports = {\n  region: 'eu-west-1',\n"
        "  accessKeyId: 'AKIA" "2E0A8F3B244C9986',\n  secretAccessKey: "
        "'Tq3bA8YxW1vZ7kP0mR5nS2uL9cD4eF6gH8jK1lQ3',\n};\n"},
       ("npx secretlint \"**/*\"",), "security", "secretlint: AWS credentials committed",
       project="config"),
    js("bot-secretlint", "gitlab", {
        ".secretlintrc.json": json.dumps({"rules": [
            {"id": "@secretlint/secretlint-rule-preset-recommend"}]}) + "\n",
        "src/slack.js": "const token = 'xox" "b-2718281828-3141592653-aBcDeFgHiJkLmNoPqRsTuVwX';\n"
        "module.exports = { token };\n",
        "keys/deploy.pem": "-----BEGIN RSA " "PRIVATE KEY-----\nMIIEowIBAAKCAQEAwJZ1pYx9k3o"
        "Nf0Dq0xJtHq9b1ZCkW7mR9aQ2c8sL3vN6yT4uP\n-----END RSA " "PRIVATE KEY-----\n"},
       ("npx secretlint \"**/*\"",), "security", "secretlint: Slack token and private key",
       project="bot"),
    js("orders-js-pg", "buildkite", {
        "src/db.js": "const { Client } = require('pg');\n\nasync function countOrders() {\n"
        "  const c = new Client({ connectionString: process.env.DATABASE_URL });\n"
        "  await c.connect();\n  try {\n    const r = await c.query('SELECT count(*) FROM "
        "order_items WHERE shipped = false');\n    return Number(r.rows[0].count);\n"
        "  } finally {\n    await c.end();\n  }\n}\nmodule.exports = { countOrders };\n",
        "test/db.test.js": "const { countOrders } = require('../src/db');\n"
        "test('counts open orders', async () => {\n"
        "  expect(await countOrders()).toBeGreaterThanOrEqual(0);\n});\n"},
       ("npm test",), "database", "node-postgres: relation order_items does not exist",
       pre="psql -h 127.0.0.1 -U postgres -q -c 'DROP DATABASE IF EXISTS fresh_orders' "
       "-c 'CREATE DATABASE fresh_orders'",
       post="psql -h 127.0.0.1 -U postgres -q -c 'DROP DATABASE IF EXISTS fresh_orders'",
       env={"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/fresh_orders"},
       services=("postgres:16",), project="orders"),
    js("jobs-js-pg-refused", "gitlab", {
        "scripts/migrate.js": "const { Client } = require('pg');\n(async () => {\n"
        "  const c = new Client({ host: '127.0.0.1', port: 5433, user: 'app', database: "
        "'jobs' });\n  await c.connect();\n  await c.query('CREATE TABLE IF NOT EXISTS jobs "
        "(id serial primary key)');\n  await c.end();\n  console.log('migrated');\n})();\n"},
       ("node scripts/migrate.js",), "database",
       "node-postgres ECONNREFUSED 127.0.0.1:5433 (database service not up)", project="jobs"),
    js("status-fetch-refused", "github", {
        "scripts/smoke.js": "(async () => {\n  const res = await fetch('http://127.0.0.1:4010/"
        "api/status');\n  if (!res.ok) process.exit(1);\n  console.log(await res.json());\n"
        "})();\n"},
       ("node scripts/smoke.js",), "network", "fetch failed: ECONNREFUSED to the mock API",
       project="status"),
    js("cdn-enotfound", "travis", {
        "scripts/purge.js": "const https = require('https');\n"
        "https.get('https://api.cdn-provider.invalid/v1/purge?zone=acme', (res) => {\n"
        "  console.log('purge status', res.statusCode);\n}).on('error', (err) => {\n"
        "  console.error(err);\n  process.exit(1);\n});\n"},
       ("node scripts/purge.js",), "network", "getaddrinfo ENOTFOUND", project="cdn"),
    js("uptime-fetch-timeout", "jenkins", {
        "scripts/check.js": "(async () => {\n  console.log('checking upstream health');\n"
        "  const res = await fetch('http://127.0.0.1:8945/health', { signal: "
        "AbortSignal.timeout(3000) });\n  console.log(res.status);\n})().catch((e) => {\n"
        "  console.error(e);\n  process.exit(1);\n});\n"},
       ("node scripts/check.js",), "network",
       "fetch: TimeoutError (upstream accepts, never answers)",
       pre="(python3 -c \"import socket,time;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,"
       "socket.SO_REUSEADDR,1);s.bind(('127.0.0.1',8945));s.listen(8);time.sleep(30)\" "
       ">/dev/null 2>&1 & "
       "echo $! > /tmp/kffresh/silent2.pid); sleep 1",
       post="kill $(cat /tmp/kffresh/silent2.pid) 2>/dev/null", project="uptime"),
    js("cli-npm-eacces", "circleci", {
        "package.json": package("acme-cli", {"test": "jest"}, bin={"acme": "bin/acme.js"}),
        "bin/acme.js": "#!/usr/bin/env node\nconsole.log('acme');\n"},
       ("npm install -g . --no-audit --no-fund",), "permission",
       "npm EACCES: global install into /usr/lib/node_modules as a normal user",
       user="nobody", share="", project="acmecli"),
    js("assets-eacces", "gitlab", {
        "scripts/copy-assets.js": "const fs = require('fs');\nfs.mkdirSync('/srv/www/assets', "
        "{ recursive: true });\nfs.copyFileSync('package.json', '/srv/www/assets/p.json');\n"},
       ("node scripts/copy-assets.js",), "permission", "EACCES: mkdir /srv/www (unprivileged)",
       user="nobody", project="assets"),
    js("app-missing-script", "github", {"src/a.js": "module.exports = 1;\n"},
       ("npm run test:ci",), "configuration", "npm: Missing script test:ci", project="app"),
    js("lintcfg-eslintrc", "travis", {
        ".eslintrc.json": '{\n  "root": true,\n  "extends": "eslint:recommended",\n'
        '  "rules": { "semi": ["error", "always"], }\n  "env": { "node": true }\n}\n',
        "src/a.js": "module.exports = 1;\n"},
       ("npm run lint",), "configuration", "ESLint: the config file does not parse",
       project="lintcfg"),
    js("engine-strict", "jenkins", {
        "package.json": package("engine", {"test": "jest"}, engines={"node": ">=22.0.0"}),
        ".npmrc": "engine-strict=true\n"},
       (Step("npm install --no-audit --no-fund", name="install"),), "configuration",
       "npm EBADENGINE: package wants node >=22, the job runs node 20", share="",
       project="engine"),
    js("bundle-npm-enospc", "buildkite", {
        "package.json": package("bundle", {"test": "jest"}, dependencies={
            "typescript": "5.6.3", "lodash": "4.17.21"})},
       (Step("npm install --no-audit --no-fund", name="install"),), "disk",
       "npm ENOSPC: node_modules volume full",
       pre="mkdir -p .npm-cache && mount -t tmpfs -o size=2m tmpfs .npm-cache",
       post="umount .npm-cache", share="", project="bundle",
       env={"npm_config_cache": "{checkout}/.npm-cache"}),
    js("reports-node-heap", "github", {
        "scripts/aggregate.js": "const rows = [];\nconsole.log('aggregating events.ndjson');\n"
        "for (let i = 0; ; i++) {\n  rows.push({ id: i, tags: ['a', 'b', 'c'], "
        "payload: 'x'.repeat(64) + i });\n}\n"},
       ("node --max-old-space-size=64 scripts/aggregate.js",), "memory",
       "Node: JavaScript heap out of memory", project="reports"),
    js("gallery-jest-heap", "gitlab", {
        "src/thumbs.js": "function cache() {\n  const m = new Map();\n"
        "  for (let i = 0; i < 5e6; i++) m.set('k' + i, { w: i, h: i, data: new Array(8)"
        ".fill(i) });\n  return m.size;\n}\nmodule.exports = { cache };\n",
        "test/thumbs.test.js": "const { cache } = require('../src/thumbs');\n"
        "test('warms the cache', () => expect(cache()).toBe(5e6));\n"},
       ("NODE_OPTIONS=--max-old-space-size=96 npm test -- --runInBand",), "memory",
       "Jest worker: heap out of memory", project="gallery"),
    js("socket-jest-hang", "circleci", {
        "test/socket.test.js": "const net = require('net');\n\n"
        "test('server accepts', (done) => {\n  const srv = net.createServer();\n"
        "  srv.listen(0, () => {\n    const c = net.connect(srv.address().port);\n"
        "    c.on('data', () => done());\n  });\n}, 600000);\n"},
       (Step("npm test", timeout=8),), "timeout",
       "a Jest test waits for data that never comes; CircleCI kills it for no output",
       ending="no-output", project="socket"),
    js("devserver-timeout", "travis", {
        "scripts/serve.js": "const http = require('http');\nhttp.createServer((q, r) => "
        "r.end('ok')).listen(0, () => console.log('dev server listening'));\n"},
       ("timeout 5 node scripts/serve.js",), "timeout",
       "a step that never ends, killed by timeout (exit 124)", project="devserver"),
    js("native-abort", "buildkite", {
        "scripts/thumbnail.js": "console.log('decoding image 1/3');\nprocess.abort();\n"},
       ("node scripts/thumbnail.js",), "crash", "node process aborts (core dumped)",
       project="native"),
    js("e2e-flaky", "github", {
        "playwright.config.js": PW_CONFIG,
        "tests/cart.spec.js": flaky_spec("adds an item to the cart",
                                         "cart badge shows the new count")},
       ("npx playwright test",), "flaky",
       "Playwright: passed on retry, failOnFlakyTests fails the run", project="e2e"),
    js("search-ui-flaky", "gitlab", {
        "playwright.config.js": PW_CONFIG,
        "tests/search.spec.js": flaky_spec("suggestions appear while typing",
                                           "suggestion list rendered")},
       ("npx playwright test",), "flaky", "Playwright flaky test (failOnFlakyTests)",
       project="searchui"),
    js("signup-flaky", "jenkins", {
        "playwright.config.js": PW_CONFIG,
        "tests/signup.spec.js": flaky_spec("sends the confirmation email",
                                           "mail queue received the message")},
       ("npx playwright test",), "flaky", "Playwright flaky test (failOnFlakyTests)",
       project="signup"),
    js("widget-size-limit", "circleci", {
        "package.json": package("widget", {"size": "size-limit"}, devDependencies={
            "size-limit": "^12.1.0", "@size-limit/file": "^12.1.0"}),
        "dist/widget.js": "/* built */\nvar a='" + NOISE + "';\n",
        ".size-limit.json": json.dumps([{"path": "dist/widget.js", "limit": "1 kB"}]) + "\n"},
       ("npx size-limit",), "performance", "size-limit: bundle over its budget",
       project="widget"),
    js("i18n-json-data", "github", {
        "scripts/build-locales.js": "const fs = require('fs');\nfor (const f of "
        "fs.readdirSync('locales')) {\n  const data = JSON.parse(fs.readFileSync('locales/' + "
        "f, 'utf8'));\n  console.log(f, Object.keys(data).length, 'keys');\n}\n",
        "locales/en.json": '{"hello": "Hello", "bye": "Bye"}\n',
        "locales/fr.json": '{"hello": "Bonjour", "bye": "Au revoir",}\n'},
       ("node scripts/build-locales.js",), "data", "JSON.parse: trailing comma in a locale file",
       project="i18n"),
]
