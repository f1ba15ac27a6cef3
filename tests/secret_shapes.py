"""A corpus of fake secrets in realistic log lines, BUILT AT TEST TIME.

Nothing here is a secret, nor looks like one to a scanner reading this file: each token is
assembled from a literal prefix and a body drawn from a seeded generator when the tests run,
and private-key headers are put together from pieces. The repository therefore holds no
string that gitleaks (or knownfix's own rules, see ``test_repository_holds_no_secret``) flags.

Each :class:`Shape` is a log line with ``{s}`` (and ``{t}``) slots, the secret for each slot,
and the label redaction must write there: the expected output is the line with each slot
replaced by ``[REDACTED:label]``, so a secret must be masked whole and the context kept.
"""

from __future__ import annotations

import base64
import json
import random
import string
from dataclasses import dataclass, field

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
BASE32 = string.ascii_uppercase + "234567"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"
DASHES = "-" * 5


@dataclass(frozen=True)
class Shape:
    """One realistic line: its slots' secrets and the label expected in each slot."""

    name: str
    template: str
    secrets: dict[str, str]
    labels: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)  # non-secret slot values

    @property
    def line(self) -> str:
        return self.template.format(**self.secrets, **self.extra)

    @property
    def expected(self) -> str:
        masked = {slot: f"[REDACTED:{label}]" for slot, label in self.labels.items()}
        return self.template.format(**masked, **self.extra)


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, alphabet: str, n: int) -> str:
        # Never three equal characters in a row: "xxx" and "..." read as placeholders.
        out: list[str] = []
        while len(out) < n:
            char = self.rng.choice(alphabet)
            if len(out) >= 2 and out[-1] == out[-2] == char:
                continue
            out.append(char)
        return "".join(out)

    def password(self, n: int = 14, punctuation: str = "!#%&*+,;=?@^~") -> str:
        body = [self.rng.choice(ALNUM) for _ in range(n - 3)]
        body += [self.rng.choice(punctuation), self.rng.choice(string.digits),
                 self.rng.choice(string.ascii_uppercase)]
        self.rng.shuffle(body)
        if body[0] in punctuation:  # a password seldom starts with one, and "=x" is not a value
            body[0] = "P"
        return "".join(body)

    def uuid(self) -> str:
        h = self.pick(HEX, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def b64url(self, data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def jwt(self) -> str:
        header = self.b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = {"sub": self.pick(string.digits, 10), "iat": 1700000000, "role": "deployer"}
        return f"{header}.{self.b64url(json.dumps(claims).encode())}.{self.pick(B64URL, 43)}"

    def key_lines(self, lines: int) -> list[str]:
        return [self.pick(B64, 64) for _ in range(lines - 1)] + [self.pick(B64, 20) + "=="]


def _header(kind: str, end: bool = False) -> str:
    word = "END" if end else "BEGIN"
    kind = f"{kind} " if kind else ""
    return f"{DASHES}{word} {kind}PRIVATE" + f" KEY{DASHES}"


def build_shapes(seed: int = 20261210) -> list[Shape]:
    """The corpus: at least 80 shapes, the 13 the hardening issue found leaking included."""
    g = _Gen(seed)
    p = g.pick
    shapes: list[Shape] = []

    def add(name: str, template: str, label: str, secret: str, **extra: str) -> None:
        shapes.append(Shape(name, template, {"s": secret}, {"s": label}, extra))

    def add2(name: str, template: str, first: tuple[str, str], second: tuple[str, str]) -> None:
        shapes.append(Shape(name, template, {"s": first[1], "t": second[1]},
                            {"s": first[0], "t": second[0]}))

    # ---- the 13 shapes the issue found leaking, and the password cut at "&" --------------
    openai = "sk-proj-" + p(B64URL, 74) + "T3Blbk" + "FJ" + p(B64URL, 74)
    add("openai-project-key", 'openai.AuthenticationError: Incorrect API key provided: {s}.',
        "openai-api-key", openai)
    add("openai-project-key-short", "OPENAI_API_KEY is {s} (from .env)", "openai-key",
        "sk-proj-" + p(B64URL, 48))
    add("anthropic-key",
        "anthropic.AuthenticationError: Error code: 401 - x-api-key header {s} is invalid",
        "anthropic-api-key", "sk-ant-api" + "03-" + p(B64URL, 93) + "AA")
    add("sendgrid-key", "python_http_client.exceptions.UnauthorizedError: HTTP 401 for key {s}",
        "sendgrid-api-token", "SG." + p(B64URL, 22) + "." + p(B64URL, 43))
    add("twilio-api-key", "twilio.base.exceptions.TwilioRestException: Unable to auth with {s}",
        "twilio-api-key", "SK" + p(HEX, 32))
    # gitleaks' curl rule masks user and key together.
    add("mailgun-key", "curl -s --user {s} https://api.mailgun.net/v3/mg.example.com/messages",
        "curl-auth-user", "'api:key-" + p(HEX, 32) + "'")
    add("mailgun-key-bare", "mailgun: sending with {s} failed (401)", "mailgun-key",
        "key-" + p(HEX, 32))
    # gitleaks' rule lets this one through (its allow-list takes "s." and 24 letters for a
    # legacy token); the lenient prefix rule masks it.
    add("vault-token", "vault login -no-print {s}", "vault-token", "hvs.CAES" + p(B64URL, 91))
    add("vault-token-short", "Using VAULT token {s} for path secret/ci", "vault-token",
        "hvs." + p(ALNUM, 24))
    add("digitalocean-pat", "doctl auth init --access-token {s} --context ci",
        "digitalocean-pat", "dop_v1_" + p(HEX, 64))
    add("square-token", "square.api: 401 UNAUTHORIZED for token {s}", "square-access-token",
        "sq0atp-" + p(B64URL, 22))
    add("shopify-token", "ShopifyAPI::Session.new(token: {s})", "shopify-access-token",
        "shpat_" + p(HEX, 32))
    add("discord-webhook", "POST https://discord.com/api/webhooks/{hook}/{s} -> 204",
        "discord-webhook", p(B64URL, 68), hook=p(string.digits, 18))
    add("terraform-cloud-token", "credentials app.terraform.io token {s}", "hashicorp-tf-api-token",
        p(ALNUM, 14) + ".atlas" + "v1." + p(B64URL, 67))
    add("docker-login-p", "+ docker login -u ci-bot -p {s} registry.example.com", "login-password",
        g.password())
    add("set-cookie-session", "< Set-Cookie: sessionid={s}; Path=/; HttpOnly; Secure",
        "cookie", p(LOWER_ALNUM, 32))
    add("password-with-ampersand", "+ mysql --password={s} -h db -e 'select 1'",
        "secret-assignment", "Tr0ub4dor&3xyz")

    # ---- cloud providers -----------------------------------------------------------------
    add("aws-access-key-id", "export AWS_ACCESS_KEY_ID={s}", "aws-access-token",
        "AKIA" + p(BASE32, 16))
    add("aws-sts-json", '{{"AccessKeyId": "{s}", "Expiration": "2026-11-22T10:00:00Z"}}',
        "aws-access-token", "ASIA" + p(BASE32, 16))
    add("aws-secret-ini", "aws_secret_access_key = {s}", "aws-secret-key", p(B64, 40))
    add("aws-session-token", "AWS_SESSION_TOKEN={s}", "secret-assignment", p(B64, 180) + "==")
    add("aws-configure-set", "$ aws configure set aws_secret_access_key {s} --profile ci",
        "secret-config-set", p(B64, 40))
    add("gcp-api-key-url", "GET https://maps.googleapis.com/maps/api/geocode/json?key={s}&a=1",
        "gcp-api-key", "AIza" + p(B64URL, 35))
    add("gcp-oauth-token", "google.auth: refreshed access token {s}", "google-oauth-token",
        "ya29." + p(B64URL, 120))
    add("azure-storage-key", "DefaultEndpointsProtocol=https;AccountName=ci;AccountKey={s};"
        "EndpointSuffix=core.windows.net", "azure-connection-string", p(B64, 86) + "==")
    add("azure-sas", "PUT https://ci.blob.core.windows.net/logs/a.txt?sv=2022-11-02&sig={s}",
        "azure-sas-signature", p(ALNUM, 30) + "%2B" + p(ALNUM, 10) + "%3D")
    add("azure-ad-client-secret", 'ClientSecretCredential(secret="{s}")',
        "azure-ad-client-secret", p(ALNUM, 3) + "8Q~" + p(ALNUM + "_~.-", 34))
    add("alibaba-key-id", "aliyun configure --access-key-id {s}", "alibaba-access-key-id",
        "LTAI" + p(ALNUM, 20))
    add("heroku-api-key", "HEROKU_API_KEY={s} heroku container:push web", "heroku-api-key",
        g.uuid())
    add("cloudflare-token", "CLOUDFLARE_API_TOKEN: {s}", "cloudflare-api-key", p(B64URL, 40))
    add("databricks-token", "databricks: using host https://x.cloud.databricks.com token {s}",
        "databricks-api-token", "dapi" + p(HEX, 32))
    add("doppler-token", "doppler setup --token {s}", "doppler-api-token",
        "dp.pt." + p(ALNUM, 43))
    add("pulumi-token", "pulumi login: PULUMI_ACCESS_TOKEN {s} rejected", "pulumi-api-token",
        "pul-" + p(HEX, 40))

    # ---- source hosting and CI ------------------------------------------------------------
    add("github-pat", "remote: Invalid username or token {s}.", "github-pat",
        "ghp_" + p(ALNUM, 36))
    add2("github-oauth-and-app", "oauth {s} install {t}", ("github-oauth", "gho_" + p(ALNUM, 36)),
         ("github-app-token", "ghs_" + p(ALNUM, 36)))
    add("github-fine-grained", "Using PAT {s}.", "github-fine-grained-pat",
        "github_" + "pat_" + p(ALNUM, 22) + "_" + p(ALNUM, 59))
    add("github-token-in-url", "git clone https://x-access-token:{s}@github.com/org/repo.git",
        "github-app-token", "ghs_" + p(ALNUM, 36))
    add("github-token-odd-length", "token ghp_... rotated: {s}", "github-pat",
        "ghp_" + p(ALNUM, 40))
    add("gitlab-pat", "glab auth login --token {s}", "gitlab-pat", "glpat-" + p(B64URL, 20))
    add("gitlab-private-token-header", "> PRIVATE-TOKEN: {s}", "gitlab-pat",
        "glpat-" + p(B64URL, 20))
    add("gitlab-runner-token", "gitlab-runner register --token {s}",
        "gitlab-runner-authentication-token", "glrt-" + p(B64URL, 20))
    add("gitlab-job-token-env", "CI_JOB_TOKEN={s}", "secret-assignment", p(B64URL, 24))
    add("npm-token-npmrc", "//registry.npmjs.org/:_authToken={s}", "npm-access-token",
        "npm_" + p(LOWER_ALNUM, 36))
    add("npm-token-comma", "npm notice token {s}, expires in 30 days", "npm-access-token",
        "npm_" + p(LOWER_ALNUM, 36))
    add("pypi-token", "twine upload -u __token__ -p {s} dist/*", "pypi-upload-token",
        "pypi-AgEIcHlwaS5vcmc" + p(B64URL, 60))
    add("rubygems-token", "GEM_HOST_API_KEY: {s}", "rubygems-api-token",
        "rubygems_" + p(HEX, 48))
    add("docker-hub-pat", "echo ok; DOCKERHUB_TOKEN {s} expired", "docker-hub-token",
        "dckr_pat_" + p(B64URL, 27))
    add("sonar-token", "mvn sonar:sonar -Dsonar.login={s}", "sonar-api-token",
        "squ_" + p(HEX, 40))
    add("codecov-token", "codecov upload: CODECOV_TOKEN={s}", "secret-assignment", g.uuid())
    add("jfrog-key", "ARTIFACTORY_API_KEY={s}", "artifactory-api-key", "AKCp" + p(ALNUM, 69))

    # ---- chat, mail, SMS, webhooks ----------------------------------------------------------
    add("slack-bot", "slack: posting with {s}", "slack-bot-token",
        f"xoxb-{p(string.digits, 12)}-{p(string.digits, 13)}-{p(ALNUM, 24)}")
    add("slack-user", "SLACK_USER token {s} lacks scope", "slack-user-token",
        f"xoxp-{p(string.digits, 12)}-{p(string.digits, 12)}-{p(string.digits, 13)}-"
        + p(HEX, 32))
    add("slack-app", "socket mode with {s}", "slack-app-token",
        f"xapp-1-A{p(UPPER_ALNUM, 10)}-{p(string.digits, 13)}-{p(HEX, 64)}")
    add("slack-webhook", "curl -X POST {s} -d @msg.json", "slack-webhook-url",
        f"https://hooks.slack.com/services/T{p(UPPER_ALNUM, 8)}/B{p(UPPER_ALNUM, 8)}/"
        + p(ALNUM, 24))
    add("teams-webhook", "POST {s} 200", "microsoft-teams-webhook",
        f"https://acme.webhook.office.com/webhookb2/{g.uuid()}@{g.uuid()}/IncomingWebhook/"
        f"{p(HEX, 32)}/{g.uuid()}")
    add("discord-bot-token", "discord.errors.LoginFailure: Improper token has been passed: {s}",
        "discord-bot-token", "M" + p(B64URL, 25) + "." + p(B64URL, 6) + "." + p(B64URL, 38))
    add("telegram-bot", "POST https://api.telegram.org/bot{s}/sendMessage 401",
        "telegram-bot-token", p(string.digits, 10) + ":AA" + p(B64URL, 33))
    add("mailchimp-env", "MAILCHIMP_API_KEY={s}", "mailchimp-api-key", p(HEX, 32) + "-us12")
    add("postmark-header", "< X-Postmark-Server-Token: {s}", "secret-compound-key", g.uuid())

    # ---- AI providers --------------------------------------------------------------------
    add("openai-legacy", "openai.api_key = '{s}'", "openai-api-key",
        "sk-" + p(ALNUM, 20) + "T3Blbk" + "FJ" + p(ALNUM, 20))
    add("anthropic-admin", "ANTHROPIC admin key {s} revoked", "anthropic-key",
        "sk-ant-admin01-" + p(B64URL, 60))
    add("huggingface-token", "huggingface-cli login --token {s}", "huggingface-access-token",
        "hf_" + p(string.ascii_letters, 34))
    add("groq-key", "groq.AuthenticationError: invalid key {s}", "ai-provider-key",
        "gsk_" + p(ALNUM, 52))
    add("cohere-env", "CO_API_KEY={s} python train.py", "cohere-api-token", p(ALNUM, 40))

    # ---- payments and shops ----------------------------------------------------------------
    add("stripe-live", "Stripe.api_key = '{s}'", "stripe-access-token",
        "sk_" + "live_" + p(ALNUM, 99))
    add("stripe-restricted", "charging with {s}", "stripe-access-token",
        "rk_" + "live_" + p(ALNUM, 24))
    add("square-secret", "SQUARE_APPLICATION_SECRET: {s}", "square-token",
        "sq0csp-" + p(B64URL, 43))
    add("shopify-shared-secret", "shopify: verifying HMAC with {s}", "shopify-shared-secret",
        "shpss_" + p(HEX, 32))
    add("braintree-token", "braintree gateway: {s}", "braintree-token",
        "access_token$production$" + p(LOWER_ALNUM, 16) + "$" + p(HEX, 32))

    # ---- passwords in URLs, headers and flags ------------------------------------------------
    add("url-password-https", "git clone https://ci-bot:{s}@git.example.com/org/repo.git",
        "url-password", g.password())
    add("url-password-at-sign", "postgresql://app:{s}@db.internal:5432/app", "url-password",
        p(ALNUM, 6) + "@" + p(ALNUM, 6))
    add("url-password-empty-user", "REDIS_URL=redis://:{s}@cache:6379/0", "url-password",
        p(ALNUM, 20))
    add("url-password-srv", "mongodb+srv://admin:{s}@cluster0.abcde.mongodb.net/test",
        "url-password", p(ALNUM, 16))
    add("url-password-amqp", "kombu: Cannot connect to amqp://guest:{s}@rabbit:5672//",
        "url-password", g.password())
    add("auth-bearer", "> Authorization: Bearer {s}", "jwt", g.jwt())
    add("auth-bearer-opaque", "> Authorization: Bearer {s}", "auth-header", p(B64URL, 40))
    add("auth-basic", "Authorization: Basic {s}", "auth-header",
        base64.b64encode(f"ci:{g.password()}".encode()).decode())
    add("auth-curl-token", 'curl -sH "Authorization: token {s}" https://api.github.com/user',
        "github-pat", "ghp_" + p(ALNUM, 36))
    add("proxy-authorization", "Proxy-Authorization: Basic {s}", "auth-header",
        base64.b64encode(f"proxy:{p(ALNUM, 12)}".encode()).decode())
    add("bearer-alone", "retrying with Bearer {s}", "bearer-token", p(ALNUM, 32))
    add("x-api-key-header", "< X-Api-Key: {s}", "secret-compound-key", p(ALNUM, 32))
    add("x-vault-token-header", 'curl -H "X-Vault-Token: {s}" $VAULT_ADDR/v1/secret',
        "curl-auth-header",
        "hvs." + p(ALNUM, 24))
    # In two pieces: gitleaks' curl rule would read "{s}" in this file as a password.
    add("curl-user", "curl -u" + " deploy:{s} https://nexus.example.com/upload", "basic-auth-flag",
        g.password())
    add("curl-user-equals", "curl --user={s} https://nexus.example.com/upload",
        "curl-auth-user", "deploy:" + p(ALNUM, 16))
    add("curl-user-punctuation", "curl --user=" + "deploy:{s} https://nexus.example.com/upload",
        "basic-auth-flag", "d7RfCd9aBx?" + p(ALNUM, 6))
    add("cli-flag-space", "helm repo add ci https://charts.example.com --password {s}",
        "secret-flag", g.password())
    add("cli-flag-db-password", "./manage.py dbshell --db-password={s}", "secret-assignment",
        g.password(16))
    add("mysql-p-glued", "mysql -uroot -p{s} -e 'show databases'", "mysql-password",
        g.password())
    add("sshpass", "sshpass -p {s} ssh deploy@10.0.0.5", "login-password", g.password())
    add("podman-login", "podman login quay.io -u robot -p {s}", "login-password", p(ALNUM, 64))
    add("netrc", "machine github.com login ci-bot password {s}", "netrc-password", g.password())
    add("git-config-password", "git config --global credential.password {s}",
        "secret-config-set", g.password())
    add("kubectl-token", "kubectl --server=https://k8s:6443 --token={s} get pods",
        "secret-assignment", p(B64URL, 48))

    # ---- key = value in env dumps, configs and code -------------------------------------------
    add("env-password", "+ PGPASSWORD={s} psql -h db -U app", "secret-assignment", g.password())
    add("env-quoted", 'DB_PASSWORD="{s}" ./migrate', "secret-assignment", g.password() + " x")
    add("env-single-quoted", "export MYSQL_ROOT_PASSWORD='{s}'", "secret-assignment",
        g.password())
    add("env-punctuation", "DB_PASS={s} ./start.sh", "secret-assignment",
        "p@ss;w0rd," + p(ALNUM, 4))
    add("query-param", "GET /callback?code=abc&client_secret={s}&state=1", "secret-assignment",
        p(ALNUM, 24))
    add("query-access-token", "GET /api/v4/projects?access_token={s} 401", "secret-assignment",
        p(ALNUM, 20))
    add("json-password", '{{"username": "ci", "password": "{s}", "retries": 3}}',
        "secret-quoted-key", g.password())
    add("json-escaped-quote", '{{"api_key": "{s}"}}', "secret-quoted-key",
        p(ALNUM, 12) + '\\"' + p(ALNUM, 4))
    add("python-repr", "kwargs={{'token': '{s}', 'timeout': 5}}", "secret-quoted-key",
        p(ALNUM, 20))
    add("ruby-hash", "config = {{ 'client_secret' => '{s}' }}", "secret-quoted-key", p(ALNUM, 32))
    add("yaml-password", "  password: {s}", "secret-yaml-key", g.password())
    add("yaml-list-item", "- secret: '{s}'", "secret-yaml-key", p(ALNUM, 20))
    add("yaml-compound", "    db_password: {s}", "secret-yaml-key", g.password())
    add("xml-password", "<password>{s}</password>", "secret-xml", g.password())
    add("maven-settings", "      <server><id>nexus</id><password>{s}</password></server>",
        "secret-xml", g.password())
    add("nuget-config", '<add key="ClearTextPassword" value="{s}" />', "nuget-config-password",
        g.password())
    add("go-assign", 'apiToken := "{s}"', "secret-assignment", p(ALNUM, 32))
    add("powershell-env", '$env:API_TOKEN = "{s}"', "secret-assignment", p(ALNUM, 32))
    # A key that only holds a secret word: masked when the value looks random.
    add("token-rw-suffix", "GITHUB_TOKEN_RW={s}", "secret-assignment", p(ALNUM, 40))
    add("secret-key-base", "SECRET_KEY_BASE={s}", "secret-assignment", p(HEX, 128))
    add("encryption-key", "ENCRYPTION_KEY={s}", "secret-assignment", p(B64, 43) + "=")
    add("api-key-prod-header", "x-api-key-prod: {s}", "secret-yaml-key", p(ALNUM, 32))
    add("signing-key-json", '{{"signing_key": "{s}"}}', "secret-quoted-key", p(B64, 44))

    # ---- cookies, JWTs, private keys, keys that are not tokens --------------------------------
    add("cookie-header", "> Cookie: {s}", "cookie-header",
        f"csrftoken={p(ALNUM, 32)}; sessionid={p(LOWER_ALNUM, 32)}")
    add("curl-cookie", "curl --cookie '{s}' https://app.example.com/admin",
        "cookie-flag", "session=" + p(ALNUM, 40))
    add("jwt-bare", "session={s}", "jwt", g.jwt())
    add("jwt-in-cookie", "Set-Cookie: id_token={s}; Path=/", "jwt", g.jwt())
    add("jwt-in-prose", "token {s} expired at 2026-01-01", "jwt", g.jwt())
    # The key "private_key" masks its whole value, header included.
    body = "\\n".join(g.key_lines(5))
    add("private-key-json", '"private_key": "{s}"', "secret-quoted-key",
        _header("") + "\\n" + body + "\\n" + _header("", True) + "\\n")
    add("private-key-one-line", "key=" + _header("RSA") + "{s}" + _header("RSA", True),
        "private-key", " " + " ".join(g.key_lines(3)) + " ")
    add("private-key-escaped-in-log", "config: " + _header("EC") + "{s}" + _header("EC", True),
        "private-key", "\\n" + "\\n".join(g.key_lines(2)) + "\\n")
    add("age-key", "age: using identity {s}", "age-secret-key",
        "AGE-SECRET-KEY-1" + p("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58))
    return shapes


def private_key_block(seed: int = 7) -> tuple[str, str]:
    """A CI log with private keys printed across lines (CRLF and LF), a key cut short, and a
    secret around them; and its expected redaction."""
    g = _Gen(seed)
    rsa = g.key_lines(4)
    ssh = g.key_lines(3)
    aws = "AKIA" + g.pick(BASE32, 16)
    lines_in = [
        "2026-11-22T05:00:00.0000000Z ##[group]Run ./deploy.sh",
        f"2026-11-22T05:00:01.0000000Z + export AWS_ACCESS_KEY_ID={aws}",
        "2026-11-22T05:00:01.1000000Z + cat deploy_key",
        _header("RSA"),
        "Proc-Type: 4,ENCRYPTED",
        "DEK-Info: AES-128-CBC," + g.pick("0123456789ABCDEF", 32),
        "",
        *rsa,
        _header("RSA", True),
        "2026-11-22T05:00:02.0000000Z   key: |",
        "    " + _header("OPENSSH"),
        *("    " + x for x in ssh),
        "    " + _header("OPENSSH", True),
        "2026-11-22T05:00:03.0000000Z " + _header("EC"),
        f"2026-11-22T05:00:03.0000000Z {g.pick(B64, 64)}",
        "2026-11-22T05:00:04.0000000Z Error: the key above was truncated",
        "2026-11-22T05:00:05.0000000Z ##[error]Process completed with exit code 1.",
    ]
    key = "[REDACTED:private-key]"
    lines_out = [
        lines_in[0],
        "2026-11-22T05:00:01.0000000Z + export AWS_ACCESS_KEY_ID=[REDACTED:aws-access-token]",
        lines_in[2],
        lines_in[3],
        key,
        key,
        "",
        *[key] * len(rsa),
        _header("RSA", True),
        lines_in[8 + len(rsa)],
        "    " + _header("OPENSSH"),
        *["    " + key] * len(ssh),
        "    " + _header("OPENSSH", True),
        "2026-11-22T05:00:03.0000000Z " + _header("EC"),
        "2026-11-22T05:00:03.0000000Z " + key,
        lines_in[-2],
        lines_in[-1],
    ]
    ends = ["\r\n" if i % 3 == 0 else "\n" for i in range(len(lines_in))]
    return (
        "".join(a + e for a, e in zip(lines_in, ends, strict=True)),
        "".join(a + e for a, e in zip(lines_out, ends, strict=True)),
    )
