"""The job's own checkout failing is infrastructure; a step's clone of another repository is not.

Before any script step the CI system checks out the job's repository (Travis' retried
``eval git clone --depth=50 --branch=B URL owner/name`` and ``git checkout -qf SHA``,
actions/checkout's git run through the runner's toolkit). A ``git clone`` (fetch, pull,
submodule update) that a later step runs fetches another repository: when it fails, that step
failed on a dependency, or on the network when the clone could not resolve or reach the host.
The fixtures are whole small logs, read as triage reads them (excerpt and step facts).
"""

from __future__ import annotations

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.policy import default_policy
from knownfix.services.triage import triage_source

TRAVIS_CHECKOUT = """travis_fold:start:git.checkout
$ git clone --depth=50 --branch=master https://github.com/acme/widget.git acme/widget
Cloning into 'acme/widget'...
travis_fold:end:git.checkout
$ cd acme/widget
"""

LOGS = {
    # the job's own clone, retried by Travis, for a branch deleted since the push
    "travis-own-clone": ("infrastructure", """travis_fold:start:git.checkout
$ git clone --depth=50 --branch=feature-x https://github.com/acme/widget.git acme/widget
Cloning into 'acme/widget'...
warning: Could not find remote branch feature-x to clone.
fatal: Remote branch feature-x not found in upstream origin
The command "eval git clone --depth=50 --branch=feature-x https://github.com/acme/widget.git acme/widget " failed. Retrying, 2 of 3.
fatal: Remote branch feature-x not found in upstream origin
The command "eval git clone --depth=50 --branch=feature-x https://github.com/acme/widget.git acme/widget " failed 3 times.
travis_fold:end:git.checkout

Your build has been stopped.
"""),
    # a script step clones another repository and the host does not resolve
    "travis-script-clone-dns": ("network", TRAVIS_CHECKOUT + """$ make deps
$ git clone https://github.com/other/fixtures.git test/fixtures
Cloning into 'test/fixtures'...
fatal: unable to access 'https://github.com/other/fixtures.git/': Could not resolve host: github.com
The command "git clone https://github.com/other/fixtures.git test/fixtures" exited with 128.

Done. Your build exited with 1.
"""),
    # before_install clones a tool at a branch that does not exist
    "travis-install-clone-branch": ("dependency", TRAVIS_CHECKOUT + """travis_fold:start:before_install.1
$ git clone --branch=v2 https://github.com/other/tools.git ../tools
Cloning into '../tools'...
warning: Could not find remote branch v2 to clone.
fatal: Remote branch v2 not found in upstream origin
travis_fold:end:before_install.1
The command "git clone --branch=v2 https://github.com/other/tools.git ../tools" failed and exited with 128 during .

Your build has been stopped.
"""),
    # travis_retry in a script is the project's own retry, not the checkout
    "travis-retry-clone": ("dependency", TRAVIS_CHECKOUT + """$ travis_retry git clone https://github.com/other/gone.git
Cloning into 'gone'...
remote: Repository not found.
fatal: repository 'https://github.com/other/gone.git/' not found
The command "git clone https://github.com/other/gone.git" failed. Retrying, 2 of 3.
The command "travis_retry git clone https://github.com/other/gone.git" exited with 128.

Done. Your build exited with 1.
"""),
    "github-run-clone": ("dependency", """##[group]Run actions/checkout@v4
with:
  repository: acme/widget
##[endgroup]
##[group]Run git clone https://github.com/other/proto.git third_party/proto
git clone https://github.com/other/proto.git third_party/proto
shell: /usr/bin/bash -e {0}
##[endgroup]
Cloning into 'third_party/proto'...
remote: Repository not found.
fatal: repository 'https://github.com/other/proto.git/' not found
##[error]Process completed with exit code 128.
"""),
    "github-run-submodule": ("dependency", """##[group]Run git submodule update --init
git submodule update --init
shell: /usr/bin/bash -e {0}
##[endgroup]
fatal: remote error: upload-pack: not our ref 0123456789abcdef0123456789abcdef01234567
fatal: Fetched in submodule path 'vendor/lib', but it did not contain 0123456789abcdef0123456789abcdef01234567. Direct fetching of that commit failed.
##[error]Process completed with exit code 1.
"""),
    # actions/checkout's own fetch of the job's repository
    "github-actions-checkout": ("infrastructure", """##[group]Run actions/checkout@v4
with:
  repository: acme/widget
##[endgroup]
Syncing repository: acme/widget
##[group]Fetching the repository
[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --progress --no-recurse-submodules --depth=1 origin +abc:refs/remotes/origin/main
fatal: unable to access 'https://github.com/acme/widget/': The requested URL returned error: 500
The process '/usr/bin/git' failed with exit code 128
##[endgroup]
##[error]The process '/usr/bin/git' failed with exit code 128
"""),
}


@pytest.mark.parametrize("name", sorted(LOGS))
def test_a_checkout_is_infrastructure_and_a_steps_clone_is_not(name: str) -> None:
    expected, log = LOGS[name]
    result = triage_source(
        None, f"{name}.log", [log.encode()], policy=default_policy(),
        match_index=MatchIndex.build([]), record=False, history={},
    )
    assert result.decision.category == expected, result.decision.rule
