"""Dashboard: app start, page load and one point-estimate update over HTTP (target < 1 s)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402


def _update_payload(accelerator="h100-sxm", pue=1.3):
    outs = [("tco-headline", "children"), ("tco-graph", "figure"), ("tco-details", "children"),
            ("tco-error", "children")]
    ins = [("tco-accelerator", accelerator), ("tco-site", "us-texas"),
           ("tco-financing", "hyperscaler"), ("tco-accelerators", 100_000),
           ("tco-utilization", 1.0), ("tco-power-price", 0.07), ("tco-pue", pue)]
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outs],
        "inputs": [{"id": i, "property": "value", "value": v} for i, v in ins],
        "changedPropIds": ["tco-pue.value"],
        "state": [],
    }


def main() -> None:
    import importlib.util

    if importlib.util.find_spec("dash") is None:
        print("dashboard benchmark needs the app extra: pip install 'siliconomics[app]'")
        return
    from siliconomics.app import create_app

    row("create_app (all pages)", median_of(create_app, 3), "s")
    client = create_app().server.test_client()

    def load():
        for url in ("/", "/_dash-layout", "/_dash-dependencies"):
            assert client.get(url).status_code == 200

    row("page load (index, layout, dependencies)", median_of(load, 5), "s", target="< 1 s")
    state = {"pue": 1.2}

    def update():
        state["pue"] = 1.2 if state["pue"] > 1.25 else 1.3  # defeat any caching
        r = client.post("/_dash-update-component", json=_update_payload(pue=state["pue"]))
        assert r.status_code == 200, r.data[:200]

    update()
    row("TCO point-estimate update (HTTP round trip)", median_of(update, 10), "s", target="< 1 s")


if __name__ == "__main__":
    main()
