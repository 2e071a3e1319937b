"""The search index of a built corpus made on its own, as a build makes it (`python -m bench.search_index ROOT`).

The pages' digests are the last build's (from its cache), so only Pagefind's work is timed: every part is
indexed afresh (the old index is removed first), as many runs at once as a build would start."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from dossier.incremental import cache
from dossier.pipeline import BuildOptions, cache_options, search_scratch
from dossier.site.search import FOLDER, index_site


def main(argv: list[str] | None = None) -> int:
    root = Path((argv if argv is not None else sys.argv[1:])[0])
    options = BuildOptions(root=root)
    state = cache.load(root, cache.global_key(cache_options(options)))
    if state is None:
        raise SystemExit(f"{root} has no build to index: run build.py --root {root} first")
    shutil.rmtree(root / "site" / FOLDER, ignore_errors=True)
    index_site(options.site_dir, state.digests, search_scratch(options), portable=True, jobs=options.processes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
