"""Start the dashboard with its caches warmed at server start, not at the first visitor.

    python -m components.serve [streamlit run options...]   # e.g. --server.port 8502

Same as ``streamlit run app.py [options]``, plus a background thread
(:func:`components.warmup.start_warm_up`) started in the server process before Streamlit
starts listening: it reads the joined registry and the indicator table, and writes the
map files (geometry per level and parent, Posyandu per kabupaten) to ``static/geo``. Those
caches are process-wide (``st.cache_resource``), so the first visitor finds them ready.
``run.sh`` and the systemd unit in ``deploy/`` start the app this way.
"""
from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The warm-up thread calls cached functions outside a script run: Streamlit then
    # warns about a missing ScriptRunContext, which is expected here. (A filter: Streamlit
    # resets its loggers' levels from its config when it starts.)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    warnings.filterwarnings("ignore", message=".*ScriptRunContext.*")
    from streamlit.web import cli

    from components import warmup
    warmup.start_warm_up()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main()
