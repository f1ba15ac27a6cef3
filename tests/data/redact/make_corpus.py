"""Regenerate the redaction corpus: FAKE secrets in realistic shapes, and look-alikes.

Every secret here comes from a seeded random generator: none is, or was ever, a real credential.
Run from the repository root: ``python tests/data/redact/make_corpus.py``. The expected outputs
are written by hand into the cases below, not computed by knownfix.
"""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20261122)
ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + "234567"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"


def pick(alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt() -> str:
    header = b64url(b'{"alg":"HS256","typ":"JWT"}')
    payload = b64url(json.dumps({"sub": pick(string.digits, 10), "iat": 1700000000}).encode())
    return f"{header}.{payload}.{pick(B64URL, 43)}"


def key_body(lines: int) -> list[str]:
    return [pick(B64, 64) for _ in range(lines - 1)] + [pick(B64, 20) + "=="]


def r(name: str) -> str:
    return f"[REDACTED:{name}]"


AWS_ID = "AKIA" + pick(UPPER_DIGITS, 16)
AWS_STS = "ASIA" + pick(UPPER_DIGITS, 16)
AWS_SECRET = pick(B64, 40)
GCP = "AIza" + pick(B64URL, 35)
AZ_KEY = pick(B64, 86) + "=="
SAS = pick(ALNUM, 30) + "%2B" + pick(ALNUM, 10) + "%3D"
GHP = "ghp_" + pick(ALNUM, 36)
GHO = "gho_" + pick(ALNUM, 36)
GHS = "ghs_" + pick(ALNUM, 36)
GHU = "ghu_" + pick(ALNUM, 36)
GHR = "ghr_" + pick(ALNUM, 36)
GH_PAT = "github_pat_" + pick(ALNUM, 22) + "_" + pick(ALNUM, 59)
GLPAT = "glpat-" + pick(ALNUM + "-_", 20)
XOXB = f"xoxb-{pick(string.digits, 12)}-{pick(string.digits, 13)}-{pick(ALNUM, 24)}"
XOXP = (
    f"xoxp-{pick(string.digits, 12)}-{pick(string.digits, 12)}-{pick(string.digits, 13)}-"
    + pick("0123456789abcdef", 32)
)
XAPP = f"xapp-1-A{pick(UPPER_DIGITS, 10)}-{pick(string.digits, 13)}-{pick('0123456789abcdef', 64)}"
HOOK = f"T{pick(UPPER_DIGITS, 8)}/B{pick(UPPER_DIGITS, 10)}/{pick(ALNUM, 24)}"
STRIPE = "sk_live_" + pick(ALNUM, 99)
STRIPE_TEST = "sk_test_" + pick(ALNUM, 24)
NPM = "npm_" + pick(ALNUM, 36)
PYPI = "pypi-AgEIcHlwaS5vcmc" + pick(B64URL, 140)
JWT = jwt()
BASIC = base64.b64encode(f"ci-bot:{pick(ALNUM, 16)}".encode()).decode()
PW = pick(ALNUM, 14)
PW_AT = pick(ALNUM, 6) + "@" + pick(ALNUM, 6)

# (name, text, expected) — expected written out by hand for each shape.
SECRETS = [
    ("aws-access-key-env", f"export AWS_ACCESS_KEY_ID={AWS_ID}",
     f"export AWS_ACCESS_KEY_ID={r('aws-access-key')}"),
    ("aws-sts-key-json", f'{{"AccessKeyId": "{AWS_STS}", "Expiration": "2026-11-22"}}',
     f'{{"AccessKeyId": "{r("aws-access-key")}", "Expiration": "2026-11-22"}}'),
    ("aws-secret-ini", f"aws_secret_access_key = {AWS_SECRET}",
     f"aws_secret_access_key = {r('aws-secret-key')}"),
    ("aws-secret-env", f"AWS_SECRET_ACCESS_KEY={AWS_SECRET} aws s3 ls",
     f"AWS_SECRET_ACCESS_KEY={r('aws-secret-key')} aws s3 ls"),
    ("gcp-api-key-url", f"GET https://maps.googleapis.com/maps/api/geocode/json?key={GCP}",
     f"GET https://maps.googleapis.com/maps/api/geocode/json?key={r('gcp-api-key')}"),
    ("azure-connection-string",
     f"DefaultEndpointsProtocol=https;AccountName=ciartifacts;AccountKey={AZ_KEY};"
     "EndpointSuffix=core.windows.net",
     f"DefaultEndpointsProtocol=https;AccountName=ciartifacts;AccountKey={r('azure-connection-string')};"
     "EndpointSuffix=core.windows.net"),
    ("azure-sas-url",
     f"PUT https://ci.blob.core.windows.net/logs/a.txt?sv=2022-11-02&ss=b&sig={SAS}&se=2026",
     f"PUT https://ci.blob.core.windows.net/logs/a.txt?sv=2022-11-02&ss=b&sig={r('azure-sas-signature')}&se=2026"),
    ("github-ghp", f"remote: using token {GHP}", f"remote: using token {r('github-token')}"),
    ("github-gho-ghs", f"oauth {GHO} install {GHS}",
     f"oauth {r('github-token')} install {r('github-token')}"),
    ("github-ghu-ghr", f"{GHU}\t{GHR}", f"{r('github-token')}\t{r('github-token')}"),
    ("github-pat", f"Using PAT {GH_PAT}.", f"Using PAT {r('github-token')}."),
    ("gitlab-pat", f"glab auth login --token {GLPAT}",
     f"glab auth login --token {r('secret-flag')}"),
    ("gitlab-pat-bare", f"header PRIVATE-TOKEN {GLPAT}",
     f"header PRIVATE-TOKEN {r('gitlab-token')}"),
    ("slack-bot", f"slack: posting with {XOXB}", f"slack: posting with {r('slack-token')}"),
    ("slack-user-app", f"{XOXP} {XAPP}", f"{r('slack-token')} {r('slack-token')}"),
    ("slack-webhook", f"curl -X POST https://hooks.slack.com/services/{HOOK} -d @msg.json",
     f"curl -X POST https://hooks.slack.com/services/{r('slack-webhook')} -d @msg.json"),
    ("stripe-live", f"Stripe.api_key = '{STRIPE}'", f"Stripe.api_key = '{r('secret-assignment')}'"),
    ("stripe-bare", f"charging with {STRIPE} and {STRIPE_TEST}",
     f"charging with {r('stripe-key')} and {r('stripe-key')}"),
    ("npm-token-npmrc", f"//registry.npmjs.org/:_authToken={NPM}",
     f"//registry.npmjs.org/:_authToken={r('secret-assignment')}"),
    ("npm-token-bare", f"npm notice token {NPM} is valid",
     f"npm notice token {r('npm-token')} is valid"),
    ("pypi-token", f"twine upload -u __token__ -p {PYPI} dist/*",
     f"twine upload -u __token__ -p {r('pypi-token')} dist/*"),
    ("jwt-bare", f"session={JWT}", f"session={r('jwt')}"),
    ("jwt-cookie", f"Set-Cookie: id_token={JWT}; Path=/",
     f"Set-Cookie: id_token={r('secret-assignment')}; Path=/"),
    ("url-password-https", f"git clone https://ci-bot:{PW}@git.example.com/org/repo.git",
     f"git clone https://ci-bot:{r('url-password')}@git.example.com/org/repo.git"),
    ("url-password-at-sign", f"postgresql://app:{PW_AT}@db.internal:5432/app",
     f"postgresql://app:{r('url-password')}@db.internal:5432/app"),
    ("url-password-empty-user", f"REDIS_URL=redis://:{PW}@cache:6379/0",
     f"REDIS_URL=redis://:{r('url-password')}@cache:6379/0"),
    ("url-password-srv", f"mongodb+srv://admin:{PW}@cluster0.abcde.mongodb.net/test",
     f"mongodb+srv://admin:{r('url-password')}@cluster0.abcde.mongodb.net/test"),
    ("auth-bearer", f"> Authorization: Bearer {JWT}",
     f"> Authorization: Bearer {r('auth-header')}"),
    ("auth-basic", f"Authorization: Basic {BASIC}", f"Authorization: Basic {r('auth-header')}"),
    ("auth-curl-token", f'curl -sH "Authorization: token {GHP}" https://api.github.com/user',
     f'curl -sH "Authorization: token {r("auth-header")}" https://api.github.com/user'),
    ("bearer-alone", f"retrying with Bearer {pick(ALNUM, 32)}",
     f"retrying with Bearer {r('bearer-token')}"),
    ("curl-user", f"curl -u deploy:{PW} https://nexus.example.com/upload",
     f"curl -u deploy:{r('basic-auth-flag')} https://nexus.example.com/upload"),
    ("env-password", f"+ PGPASSWORD={PW} psql -h db -U app",
     f"+ PGPASSWORD={r('secret-assignment')} psql -h db -U app"),
    ("env-quoted", f'DB_PASSWORD="{PW} x" ./migrate',
     f'DB_PASSWORD="{r("secret-assignment")}" ./migrate'),
    ("cli-flag-equals", f"mysql --password={PW} -e 'select 1'",
     f"mysql --password={r('secret-assignment')} -e 'select 1'"),
    ("cli-flag-space", f"docker login --password {PW} registry.example.com",
     f"docker login --password {r('secret-flag')} registry.example.com"),
    ("query-param", f"GET /callback?code=abc&client_secret={PW}&state=1",
     f"GET /callback?code=abc&client_secret={r('secret-assignment')}&state=1"),
    ("json-password", f'{{"username": "ci", "password": "{PW}", "retries": 3}}',
     f'{{"username": "ci", "password": "{r("secret-quoted-key")}", "retries": 3}}'),
    ("json-escaped-quote", f'{{"api_key": "{PW}\\"tail"}}',
     f'{{"api_key": "{r("secret-quoted-key")}"}}'),
    ("python-repr", f"kwargs={{'token': '{PW}', 'timeout': 5}}",
     f"kwargs={{'token': '{r('secret-quoted-key')}', 'timeout': 5}}"),
    ("yaml-password", f"  password: {PW}", f"  password: {r('secret-yaml-key')}"),
    ("yaml-list-item", f"- secret: '{PW}'", f"- secret: '{r('secret-yaml-key')}'"),
    ("yaml-compound", f"    db_password: {PW}", f"    db_password: {r('secret-yaml-key')}"),
    ("header-api-key", f"< X-Api-Key: {PW}", f"< X-Api-Key: {r('secret-compound-key')}"),
    ("xml-password", f"<password>{PW}</password>", f"<password>{r('secret-xml')}</password>"),
    ("private-key-inline-json",
     '"private_key": "-----BEGIN PRIVATE KEY-----\\n' + "\\n".join(key_body(3))
     + '\\n-----END PRIVATE KEY-----\\n",',
     f'"private_key": "{r("secret-quoted-key")}",'),
    ("private-key-one-line",
     "key=-----BEGIN RSA PRIVATE KEY----- " + " ".join(key_body(2))
     + " -----END RSA PRIVATE KEY-----",
     f"key=-----BEGIN RSA PRIVATE KEY-----{r('private-key')}-----END RSA PRIVATE KEY-----"),
]

# Must come out unchanged.
LOOKALIKES = [
    ("git-sha", "HEAD is now at 9fceb02d0ae598e95dc970b74767f19372d61af8 Merge pull request #12"),
    ("git-short-sha", "commit a1b2c3d (tag: v1.2.3)"),
    ("uuid", "trace_id=123e4567-e89b-12d3-a456-426614174000 span 42"),
    ("base64-blob", "payload SGVsbG8sIFdvcmxkISBUaGlzIGlzIG5vdCBhIHNlY3JldC4gSnVzdCBiYXNlNjQu"),
    ("base64-json-one-part", "config eyJuYW1lIjoia25vd25maXgiLCJ2ZXJzaW9uIjoxfQ== loaded"),
    ("dotted-not-jwt", "module eyJ.parser.load failed"),
    ("password-reset-url", "password_reset_url=https://example.com/reset"),
    ("token-prose-1", "Refreshing the access token for user alice"),
    ("token-prose-2", "SyntaxError: Unexpected token '<' in JSON at position 0"),
    ("token-prose-3", "error: Unexpected token: '}'"),
    ("token-prose-4", "The token expired; run `gh auth login` again"),
    ("token-keys", "max_tokens=256 token_type=bearer tokenizer=bpe"),
    ("token-file-flag", "gh auth login --with-token < token.txt --token-file /run/secrets/t"),
    ("password-prompt", "Enter password: "),
    ("password-length", "PASSWORD_MIN_LENGTH=12 has_password=true"),
    ("akia-in-word", "MALAKIAN AKIAS and AKIAIOSFODNN7EXAMPLEANDMORE"),
    ("npm-lock-integrity",
     '"integrity": "sha512-Bx1DRmpdIwHXn2jb2OYVQ5tXIgHi5xg2S5BlNBpDLVrs7BQY1mYmCsMfXHVzmZNB9hU'
     'aB2R0A=="'),
    ("pip-hash", "--hash=sha256:3e0e1b6e48f6d2d72b6c4ab4d6f0f1c5e1a8c9ce7a3b2d9d0f6e3c1b7a5d4e2f"),
    ("cargo-checksum",
     'checksum = "b6f3b7e0d8f2a1c9e4d5b6a7c8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7"'),
    ("docker-digest", "FROM python:3.11-slim@sha256:"
     "4bc453b53cb3d914b45f4b250294236adba2c0e09ff6f03793949e7e39fd4cc1"),
    ("docker-pull-digest",
     "Digest: sha256:8d1f8b4e2c9a7b6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1"),
    ("ssh-url-no-password", "git@github.com:org/repo.git and ssh://git@github.com/org/repo"),
    ("url-port-at-path", "GET http://localhost:8080/packages/@scope/name"),
    ("github-actions-masked", "GITHUB_TOKEN: *** NPM_TOKEN=***"),
    ("ci-expression", "NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}"),
    ("env-reference", "password=$DB_PASSWORD secret=${SECRET_KEY}"),
    ("bearer-prose", "401: missing bearer token"),
    ("authorization-prose", "Authorization failed for user bob"),
    ("secret-name-yaml", "secretName: tls-cert"),
    ("short-sig", "sig=12 ok"),
    ("npm-config", "npm_config_cache=/home/runner/.npm"),
    ("already-redacted", "token=[REDACTED:github-token] url=https://u:[REDACTED:url-password]@h"),
    ("public-key", "-----BEGIN PUBLIC KEY----- MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
     " -----END PUBLIC KEY-----"),
    ("certificate", "-----BEGIN CERTIFICATE-----"),
]


def block_log() -> tuple[str, str]:
    """A CI log with a private key printed across lines (CRLF and LF), and secrets around it."""
    rsa = key_body(4)
    ssh = key_body(3)
    lines_in = [
        "2026-11-22T05:00:00.0000000Z ##[group]Run ./deploy.sh",
        f"2026-11-22T05:00:01.0000000Z + export AWS_ACCESS_KEY_ID={AWS_ID}",
        "2026-11-22T05:00:01.1000000Z + cat deploy_key",
        "-----BEGIN RSA PRIVATE KEY-----",
        "Proc-Type: 4,ENCRYPTED",
        "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF",
        "",
        *rsa,
        "-----END RSA PRIVATE KEY-----",
        "2026-11-22T05:00:02.0000000Z   key: |",
        "    -----BEGIN OPENSSH PRIVATE KEY-----",
        *("    " + x for x in ssh),
        "    -----END OPENSSH PRIVATE KEY-----",
        "2026-11-22T05:00:03.0000000Z -----BEGIN EC PRIVATE KEY-----",
        f"2026-11-22T05:00:03.0000000Z {pick(B64, 64)}",
        "2026-11-22T05:00:04.0000000Z Error: the key above was truncated",
        "2026-11-22T05:00:05.0000000Z ##[error]Process completed with exit code 1.",
    ]
    lines_out = [
        lines_in[0],
        f"2026-11-22T05:00:01.0000000Z + export AWS_ACCESS_KEY_ID={r('aws-access-key')}",
        lines_in[2],
        "-----BEGIN RSA PRIVATE KEY-----",
        r("private-key"),
        r("private-key"),
        "",
        *[r("private-key")] * len(rsa),
        "-----END RSA PRIVATE KEY-----",
        lines_in[8 + len(rsa)],
        "    -----BEGIN OPENSSH PRIVATE KEY-----",
        *["    " + r("private-key")] * len(ssh),
        "    -----END OPENSSH PRIVATE KEY-----",
        "2026-11-22T05:00:03.0000000Z -----BEGIN EC PRIVATE KEY-----",
        "2026-11-22T05:00:03.0000000Z " + r("private-key"),
        "2026-11-22T05:00:04.0000000Z Error: the key above was truncated",
        "2026-11-22T05:00:05.0000000Z ##[error]Process completed with exit code 1.",
    ]
    ends = ["\r\n" if i % 3 == 0 else "\n" for i in range(len(lines_in))]
    return (
        "".join(a + e for a, e in zip(lines_in, ends, strict=True)),
        "".join(a + e for a, e in zip(lines_out, ends, strict=True)),
    )


def main() -> None:
    with (HERE / "secrets.jsonl").open("w", encoding="utf-8") as out:
        for name, text, expected in SECRETS:
            out.write(json.dumps({"name": name, "text": text, "expected": expected}) + "\n")
    with (HERE / "lookalikes.jsonl").open("w", encoding="utf-8") as out:
        for name, text in LOOKALIKES:
            out.write(json.dumps({"name": name, "text": text}) + "\n")
    text, expected = block_log()
    (HERE / "private_key_block.log").write_bytes(text.encode())
    (HERE / "private_key_block.expected.log").write_bytes(expected.encode())


if __name__ == "__main__":
    main()
