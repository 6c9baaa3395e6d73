"""Print the mutation score per rule module and the surviving mutants, from mutmut's results.

Run by `make mutation` after `mutmut run`. Killed = killed by a test, or timed out (a mutant
that loops forever is caught too). "No tests" (no selected test reaches the function) and
survivors count against the score. Exit code 1 below the target (90 %).

`--names` prints only the names of the mutants that were not killed, space-separated, for
`make mutation MUTANTS="…"`: `mutmut run` keeps a verdict once given, so after adding tests the
survivors must be named to be tried again (a named mutant is always re-run).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

TARGET = 0.90
KILLED = {"killed", "timeout", "caught by type check"}


def main(argv: list[str]) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True, check=False
    ).stdout
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors: list[str] = []
    pending = 0
    for line in out.splitlines():
        if ":" not in line:
            continue
        name, status = (part.strip() for part in line.rsplit(":", 1))
        if status == "not checked":  # the run was stopped before this one (mutmut run resumes)
            pending += 1
            continue
        module = name.split(".x_")[0].split(".xǁ")[0]
        by_module[module][status] += 1
        if status not in KILLED:
            survivors.append(f"{name}: {status}")
    if "--names" in argv:
        print(" ".join(line.split(":")[0] for line in survivors))
        return 0
    if not by_module:
        print("Inga resultat: kör `mutmut run` först.")
        return 1
    total = Counter()
    print(f"{'modul':45} {'dödade':>7} {'totalt':>7} {'andel':>7}")
    for module, counts in sorted(by_module.items()):
        killed = sum(counts[s] for s in KILLED)
        all_ = sum(counts.values())
        total.update(counts)
        print(f"{module:45} {killed:7} {all_:7} {killed / all_:7.1%}")
    killed, all_ = sum(total[s] for s in KILLED), sum(total.values())
    print(f"{'TOTALT':45} {killed:7} {all_:7} {killed / all_:7.1%}   ({dict(total)})")
    if pending:
        print(f"Ej körda ännu: {pending} mutanter (`mutmut run` fortsätter där den slutade).")
    print("\nÖverlevande mutanter (visa en: .venv/bin/mutmut show NAMN):")
    for line in survivors:
        print("  " + line)
    return 0 if killed / all_ >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
