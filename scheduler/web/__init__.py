"""``scheduler serve``: the coordinator's workbench in the browser (FastAPI, Jinja2, own JS).

Pages are rendered on the server (Jinja2, autoescaped); the little JavaScript there is
(progress polling, the Gantt chart) is served by the app itself, as is the style sheet,
so the workbench works with no network. Solves run as child processes running the CLI's
own ``scheduler solve`` (:mod:`.runs`), so the page and the command line share one code
path and one plan directory layout. See the README, "scheduler serve".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .security import is_loopback, new_token


def serve(workspace: Path, entry: Callable[[list[str]], None], *, host: str = "127.0.0.1",
          port: int = 8000) -> int:
    """Run the workbench until Ctrl-C. Beyond the loopback address a token is required.
    Solves run ``entry``, the command line's main (``cli.main``), in child processes."""
    import uvicorn

    from .app import create_app

    token = None if is_loopback(host) else new_token()
    app = create_app(workspace, entry, host=host, port=port, token=token)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(f"workbench: {address}  (workspace {app.state.bench.ws.root}; Ctrl-C stops)",
          flush=True)
    if token:
        print("this address is reachable from other computers: only with the token above",
              flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
