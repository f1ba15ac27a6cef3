"""What the triage policy's decision costs per log: ``Policy.decide`` alone, CPU time.

The development half of LogChunks is triaged once (SQLite, the seed knowledge base) to get what
the policy reads of each log (the excerpt, its title, the failed step); then the default policy
decides every log again and again in this process, timed (``time.process_time``). The first two
decisions of the policy (the second builds what a policy builds once for many: its
prefilter) are printed apart. ``--dump FILE`` writes
every decision, to compare two versions of the code: they must be the same, byte for byte.

    KNOWNFIX_DATASETS=/path/to/datasets .venv/bin/python bench/policy_decide.py [--dump F]

To time older code, copy this script into the older checkout and run it there (it puts its
own checkout's ``src`` first on ``sys.path``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from logchunks import dataset_dir, is_dev, unpack  # noqa: E402
from service_load import knowledge_base  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (KNOWNFIX_DATASETS)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the logs")
    parser.add_argument("--dump", type=Path, help="write every decision as JSON lines")
    args = parser.parse_args()

    from knownfix.core.policy import FailureFacts, Policy
    from knownfix.services.knowledge import import_paths
    from knownfix.services.triage import open_triage
    from knownfix.settings import load_settings
    from knownfix.storage.repository import open_store

    data = dataset_dir(args.datasets)
    root = unpack(data)
    cases = [json.loads(line) for line in (data / "cases.jsonl").open(encoding="utf-8")]
    logs = sorted({root / "logs" / case["log"] for case in cases if is_dev(case["repo"])})
    logs = [path for path in logs if path.is_file()]
    url = f"sqlite:///{tempfile.mkdtemp()}/knownfix.db"
    store = open_store(url)
    import_paths(store, [knowledge_base(args.datasets)])
    session = open_triage(store, load_settings(database_url=url))
    facts: list[FailureFacts] = []
    reads = session.policy.decide
    object.__setattr__(session.policy, "decide",
                       lambda seen: (facts.append(seen), reads(seen))[1])
    for path in logs:
        session.triage(path.name, iter((path.read_bytes(),)), record=False)
    store.close()

    # The rules as the triage compiled them, in a policy that has decided nothing yet.
    policy = Policy(session.policy.name, rules=session.policy.rules)
    first = []
    for each in facts[:2]:
        started = time.process_time()
        policy.decide(each)
        first.append((time.process_time() - started) * 1000)
    for each in facts:  # untimed: every rule a decision reads compiled, as in a worker
        policy.decide(each)
    passes = []
    for _ in range(args.repeat):
        started = time.process_time()
        decisions = [policy.decide(each) for each in facts]
        passes.append((time.process_time() - started) / len(facts) * 1000)
    print(f"{len(facts)} decisions (development logs): the first two {first[0]:.1f} and "
          f"{first[1]:.1f} ms, then " + ", ".join(f"{ms:.3f}" for ms in passes)
          + " ms per decision")
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as out:
            for decision in decisions:
                out.write(json.dumps(decision.to_dict(), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
