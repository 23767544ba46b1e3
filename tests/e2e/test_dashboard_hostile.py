"""Hostile requests posted straight to every dashboard callback, through Flask's test client.

The browser sends only what the page's widgets produce; anyone who can reach the server can post
anything. Each callback of ``app.callback_map`` gets the JSON body Dash's renderer sends
(``output``, ``outputs``, ``inputs``, ``state``, ``changedPropIds``, as read in
``dash.dash.Dash._initialize_context`` and ``_prepare_callback``), first with the page's own
values, then with one field at a time replaced by hostile values chosen by the kind of widget
the field belongs to. Callbacks and fields are enumerated from the app, so a new callback or
widget is covered without editing this file (a widget of a new kind fails
:func:`test_every_field_has_hostile_values` until it is given some).

Expected: never a 500. A malformed or oversized body answers 400 or 413 before any callback
runs; every other request answers 200 with ``error: ...`` naming the field in the page's error
box and no other output changed. User text is data: it is never evaluated.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import math
import re
import tomllib

import pytest
from dash import dcc, html
from dash._utils import split_callback_id

from siliconomics.app import MAX_REQUEST_BYTES, MAX_SCENARIO_BYTES, MAX_UPLOAD_BYTES, create_app
from siliconomics.app.pages.uncertainty import DEFAULT

URL = "/_dash-update-component"
APP = create_app()


def _walk(node, parent=None):
    yield node, parent
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):  # a component, not text
            yield from _walk(child, node)


#: Every widget with an id: id -> (component, the component around it).
WIDGETS = {getattr(c, "id", None): (c, p) for c, p in _walk(APP.layout)}


def _data_url(data: bytes) -> str:
    return "data:text/plain;base64," + base64.b64encode(data).decode()


#: Values the page would send where the layout holds none (or, for samples, a smaller one that
#: keeps this module fast).
LEGIT = {"unc-samples.value": 500, "unc-upload.contents": _data_url(DEFAULT.encode()),
         "unc-upload.filename": "scenario.toml", "url.pathname": "/",
         "url.search": "?page=training&train-accelerator=b200&train-tokens=1000000000000"}


def _legit(prop_id):
    if prop_id in LEGIT:
        return LEGIT[prop_id]
    id_, prop = prop_id.rsplit(".", 1)
    return 1 if prop == "n_clicks" else getattr(WIDGETS[id_][0], prop)


def _kind(prop_id):
    """The kind of a field, from its widget: which hostile values it gets."""
    id_, prop = prop_id.rsplit(".", 1)
    widget = WIDGETS[id_][0]
    if prop == "n_clicks":
        return "click"
    kinds = {(dcc.Dropdown, "value"): "choice", (dcc.Slider, "value"): "amount",
             (dcc.Textarea, "value"): "scenario", (dcc.Upload, "contents"): "upload",
             (dcc.Upload, "filename"): "filename", (dcc.Tabs, "value"): "choice",
             (dcc.Location, "pathname"): "link", (dcc.Location, "search"): "link"}
    if isinstance(widget, dcc.Input) and prop == "value" and widget.type == "number":
        return "count" if getattr(widget, "inputMode", None) == "numeric" else "amount"
    return kinds.get((type(widget), prop))


def _field_name(prop_id):
    """The word a message must use for the field: its label up to a comma or bracket."""
    id_, _ = prop_id.rsplit(".", 1)
    _, parent = WIDGETS[id_]
    kind = _kind(prop_id)
    if kind in ("scenario", "upload", "filename", "link"):
        return {"scenario": "scenario", "upload": LEGIT["unc-upload.filename"],
                "filename": "file name", "link": "link"}[kind]
    if isinstance(WIDGETS[id_][0], dcc.Tabs):
        return "page"
    text = None
    if isinstance(parent, html.Label):
        text = parent.children[0]
    elif isinstance(parent, html.Div) and isinstance(parent.children[0], html.Label):
        text = parent.children[0].children
    assert isinstance(text, str), f"{prop_id}: no label to name the field by"
    return re.split(r"[,(]", text)[0].strip().lower()


def _slots(key):
    cb = APP.callback_map[key]
    return [f"{d['id']}.{d['property']}" for d in cb["inputs"] + cb["state"]]


def _body(key, changes=None):
    changes = changes or {}
    cb = APP.callback_map[key]

    def items(deps):
        out = []
        for d in deps:
            prop_id = f"{d['id']}.{d['property']}"
            out.append({"id": d["id"], "property": d["property"],
                        "value": changes[prop_id] if prop_id in changes else _legit(prop_id)})
        return out

    first = cb["inputs"][0]
    return {"output": key, "outputs": split_callback_id(key), "inputs": items(cb["inputs"]),
            "state": items(cb["state"]), "changedPropIds": [f"{first['id']}.{first['property']}"]}


def _post(client, body, **kw):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data=data, content_type=kw.pop("content_type", "application/json"),
                       **kw)


def _blanked(props: dict) -> bool:
    """True when an output only shows nothing: text emptied, a chart with no data."""
    from siliconomics.app.pages._common import EMPTY_FIGURE

    return all(v == "" or v == EMPTY_FIGURE for v in props.values())


def _answer(response, key):
    """(error message, other outputs changed) of a 200 answer to callback ``key``; an output
    blanked after an error shows no result and is not a change."""
    assert response.status_code == 200, (response.status_code,
                                         response.get_data(as_text=True)[:400])
    out = response.get_json()["response"]
    error_id = split_callback_id(key)[-1]["id"]
    changed = {k for k, v in out.items() if k != error_id and not _blanked(v)}
    return out.get(error_id, {}).get("children", ""), changed


def _assert_own_words(message):
    assert not re.search(r"\b[A-Z]\w*(Error|Exception)\b|Traceback|numpy|ufunc|NoneType|"
                         r"could not convert|invalid literal|unsupported operand|object of type",
                         message), message
    assert len(message) < 800, f"the message echoes the request: {message[:200]}..."


@pytest.fixture
def client():
    return APP.server.test_client()


CALLBACKS = sorted(APP.callback_map)


def _short(key):
    """A test id: the callback's first output, or the field."""
    return key.lstrip(".").split("...")[0]


def _writing(prop_id):
    """The callback whose first output is ``prop_id`` (``"unc-download.data"``)."""
    return next(k for k in CALLBACKS if k.lstrip(".").startswith(prop_id + "."))


SLOTS = [(key, slot) for key in CALLBACKS for slot in _slots(key)]

PYTHON = "__import__('os').system('touch {marker}')"
NOT_A_NUMBER = [("text", "abc"), ("empty text", ""), ("numeric text", "8"), ("list", [1]),
                ("empty list", []), ("dict", {"a": 1}), ("None", None), ("true", True),
                ("NaN", math.nan), ("Infinity", math.inf), ("-Infinity", -math.inf),
                ("huge float", 1e308), ("huge negative", -1e308), ("huge integer", 10**400),
                ("negative", -1)]
DEEP_ARRAYS = "a = " + "[" * 3000 + "]" * 3000
HOSTILE = {
    "count": NOT_A_NUMBER + [("fraction", 2.5), ("half", 0.5)],
    "amount": NOT_A_NUMBER,
    "choice": [("unknown name", "no-such-name"), ("alias", "H100"),
               ("TOML injection", 'h100-sxm"\nsamples = 1\n[catalog]\nfiles = ["/etc/passwd"]\n#'),
               ("long text", "x" * 10_000), ("number", 3), ("float", 8.0), ("None", None),
               ("list", ["h100-sxm"]), ("dict", {}), ("true", True), ("NaN", math.nan)],
    "scenario": [("Python", PYTHON.format(marker="/tmp/siliconomics-hostile")),
                 ("deep arrays", DEEP_ARRAYS), ("deep tables", "a" + ".a" * 3000 + " = 1"),
                 ("not TOML", "abc"), ("over the limit", "# " + "x" * MAX_SCENARIO_BYTES),
                 ("lone surrogate", "# \ud800"),
                 ("catalog files", '[catalog]\nfiles = ["/etc/passwd"]'),
                 ("power tower", '[inputs]\npower_price_usd_per_kwh = "9**9**9 USD/kWh"'),
                 ("None", None), ("number", 1), ("list", ["a"]), ("dict", {"scenario": {}})],
    "upload": [("not a data URL", "abc"), ("bad base64", "data:text/plain;base64,!!!"),
               ("non-UTF-8", _data_url(b"\xff\xfe\xfd")),
               ("Latin-1", _data_url("name = 'caf\xe9'".encode("latin-1"))),
               ("over the limit", _data_url(b"#" * (MAX_UPLOAD_BYTES + 1))),
               ("Python", _data_url(PYTHON.format(marker="/tmp/siliconomics-hostile").encode())),
               ("deep arrays", _data_url(DEEP_ARRAYS.encode())), ("None", None),
               ("number", 1), ("list", []), ("dict", {})],
    "filename": [("number", 1), ("list", ["x.toml"]), ("dict", {}), ("true", True)],
    # the address bar: a path and a query string that anyone can write
    "link": [("number", 1), ("list", []), ("dict", {}), ("None", None),
             ("unknown page", "?page=nowhere"), ("unknown field", "?page=tco&tco-acelerator=b200"),
             ("unknown name", "?tco-accelerator=no-such-chip"), ("not a number", "?tco-accelerators=abc"),
             ("out of range", "?tco-accelerators=0"), ("infinite", "?train-tokens=1e400"),
             ("fraction", "?tco-accelerators=2.5"), ("Python", "?tco-accelerator=__import__('os')"),
             ("not a query", "?a&&=b=c"), ("over the limit", "?page=tco&" + "x" * 5000),
             ("elsewhere", "/../etc/passwd")],
    "click": [("text", "abc"), ("None", None), ("list", []), ("dict", {}), ("NaN", math.nan),
              ("negative", -1), ("huge", 10**400)],
}


def test_every_field_has_hostile_values():
    assert SLOTS
    missing = [slot for _, slot in SLOTS if _kind(slot) not in HOSTILE]
    assert not missing, f"no hostile values for {missing}: give their kind some here"


@pytest.mark.parametrize("key", CALLBACKS, ids=_short)
def test_every_callback_writes_an_error_box(key):
    last = split_callback_id(key)[-1]
    assert last["id"].endswith("-error") and last["property"].split("@")[0] == "children"
    assert WIDGETS[last["id"]][0].role == "alert"


@pytest.mark.parametrize("key", CALLBACKS, ids=_short)
def test_the_pages_own_values_succeed(client, key):
    message, changed = _answer(_post(client, _body(key)), key)
    assert message == ""
    assert changed, "a callback given the page's own values updates something"


@pytest.mark.parametrize("key, slot", [(k, s) for k, s in SLOTS if _kind(s) != "click"],
                         ids=_short)
def test_a_hostile_value_is_an_error_in_the_page(client, key, slot):
    name = _field_name(slot)
    for label, value in HOSTILE[_kind(slot)]:
        message, changed = _answer(_post(client, _body(key, {slot: value})), key)
        assert message.startswith("error: "), (label, message)
        assert not changed, (label, changed)
        assert name in message.lower(), (label, name, message)
        _assert_own_words(message)


MAIN = [k for k in CALLBACKS if "@" not in split_callback_id(k)[-1]["property"]
        and any(_kind(s) != "click" for s in _slots(k))
        and any(o["property"] in ("children", "figure") for o in split_callback_id(k)[:-1])]


@pytest.mark.parametrize("key", MAIN, ids=_short)
def test_an_error_clears_the_results_it_replaces(client, key):
    # a page's main callback: after an error no chart or figure from earlier inputs stays
    slot = next(s for s in _slots(key) if _kind(s) != "click")
    label, value = HOSTILE[_kind(slot)][0]
    out = _post(client, _body(key, {slot: value})).get_json()["response"]
    results = [o for o in split_callback_id(key)[:-1] if o["property"] in ("children", "figure")]
    assert results, key
    for o in results:
        assert o["id"] in out and _blanked(out[o["id"]]), (label, o, out.get(o["id"]))


@pytest.mark.parametrize("key, slot", [(k, s) for k, s in SLOTS if _kind(s) == "click"],
                         ids=_short)
def test_a_hostile_click_count_is_ignored(client, key, slot):
    for label, value in HOSTILE["click"]:
        message, changed = _answer(_post(client, _body(key, {slot: value})), key)
        assert message == "" and changed, (label, message)


@pytest.mark.parametrize("key, slot", [(k, s) for k, s in SLOTS if _kind(s) == "choice"
                                       and isinstance(_legit(s), str)],
                         ids=_short)
def test_an_unknown_name_suggests_the_closest(client, key, slot):
    name = _legit(slot)
    message, _ = _answer(_post(client, _body(key, {slot: name + "x"})), key)
    assert f"unknown {_field_name(slot)} {name + 'x'!r}; did you mean {name!r}" in message


@pytest.mark.parametrize("name", ["long.toml" * 1000, "../../etc/passwd", "<b>x</b>.toml", None])
def test_a_file_name_is_only_a_name(client, name):
    key = _writing("unc-text.value")
    message, changed = _answer(_post(client, _body(key, {"unc-upload.filename": name})), key)
    assert message == "" and changed == {"unc-text"}


@pytest.fixture
def json_reads(monkeypatch):
    """Calls to the server's JSON parser (a refused body must never reach it)."""
    calls = []
    loads = APP.server.json.loads

    def spy(*args, **kw):
        calls.append(len(args[0]))
        return loads(*args, **kw)

    monkeypatch.setattr(APP.server.json, "loads", spy)
    return calls


@pytest.fixture
def callback_runs(monkeypatch):
    """Keys of the callbacks that ran."""
    runs = []
    for key, cb in APP.callback_map.items():
        def spy(*args, _key=key, _func=cb["callback"], **kw):
            runs.append(_key)
            return _func(*args, **kw)

        monkeypatch.setitem(cb, "callback", spy)
    return runs


RUN = _writing("unc-summary.children")
FIVE_MB_SCENARIO = "# " + "x" * (5 * 1024 * 1024)


def test_an_oversized_body_is_refused_before_it_is_read(client, json_reads, callback_runs):
    body = json.dumps(_body(RUN, {"unc-text.value": FIVE_MB_SCENARIO}))
    assert _post(client, body).status_code == 413
    # without a Content-Length (chunked), the stream is cut at the cap
    r = client.post(URL, input_stream=io.BytesIO(body.encode()), content_type="application/json",
                    environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 413
    assert json_reads == [] and callback_runs == []
    assert _post(client, _body(RUN)).status_code == 200 and json_reads and callback_runs


def test_the_largest_legitimate_bodies_fit_under_the_cap(client):
    # an upload at the size limit, and the same scenario as text that JSON escapes the most
    pad = MAX_UPLOAD_BYTES - len(DEFAULT.encode())
    text = DEFAULT + "#" + '"\\' * ((pad - 2) // 2) + "\n" * (1 + pad % 2)
    assert len(text.encode()) == MAX_UPLOAD_BYTES == MAX_SCENARIO_BYTES
    upload = _writing("unc-text.value")
    body = _body(upload, {"unc-upload.contents": _data_url(text.encode())})
    size = len(json.dumps(body))
    message, changed = _answer(_post(client, body), upload)
    assert message == "" and changed == {"unc-text"}
    body = _body(RUN, {"unc-text.value": text})
    size = max(size, len(json.dumps(body)))
    message, changed = _answer(_post(client, body), RUN)
    assert message == "" and "unc-summary" in changed
    assert 1.9 * MAX_SCENARIO_BYTES < size < MAX_REQUEST_BYTES  # near the worst case


def test_the_run_caps_the_scenario_even_under_a_larger_request_cap(client, monkeypatch):
    monkeypatch.setitem(APP.server.config, "MAX_CONTENT_LENGTH", None)
    message, _ = _answer(_post(client, _body(RUN, {"unc-text.value": FIVE_MB_SCENARIO})), RUN)
    assert message == (f"error: scenario: {len(FIVE_MB_SCENARIO):,} characters, more than the "
                       f"{MAX_SCENARIO_BYTES:,}-byte limit")


@pytest.mark.parametrize("size", [MAX_UPLOAD_BYTES + 1, 20 * MAX_UPLOAD_BYTES // 10])
def test_an_upload_over_the_limit_is_refused_and_large_ones_are_not_decoded(client, monkeypatch,
                                                                             size):
    from siliconomics.app.pages import uncertainty

    decoded, b64decode = [], base64.b64decode
    monkeypatch.setattr(uncertainty.base64, "b64decode",
                        lambda *a, **kw: decoded.append(a) or b64decode(*a, **kw))
    upload = _writing("unc-text.value")
    body = _body(upload, {"unc-upload.contents": _data_url(b"#" * size)})
    message, changed = _answer(_post(client, body), upload)
    assert message.startswith("error: scenario.toml: ") and not changed
    assert message.endswith(f"more than the {MAX_UPLOAD_BYTES:,}-byte limit")
    # 4 base64 characters carry up to 3 bytes: a size within 2 bytes of the limit is only known
    # once decoded; anything larger is refused on the length of its base64 text
    assert len(decoded) == (1 if size == MAX_UPLOAD_BYTES + 1 else 0)


def _malformed_bodies():
    good = _body(RUN)
    bodies = {
        "not JSON": "{'output': 1}", "JSON list": "[1, 2]", "JSON text": '"x"', "null": "null",
        "empty object": "{}", "deep JSON": "[" * 3000 + "]" * 3000,
        "unknown output": {**good, "output": "nowhere.children"},
        "output not text": {**good, "output": ["x"]},
        "outputs changed": {**good, "outputs": good["outputs"][:1]},
        "outputs missing": {k: v for k, v in good.items() if k != "outputs"},
        "inputs missing": {k: v for k, v in good.items() if k != "inputs"},
        "input of another id": {**good, "inputs": [{**good["inputs"][0], "id": "tco-site"}]},
        "input not an object": {**good, "inputs": ["x"]},
        "state too short": {**good, "state": good["state"][:1]},
        "state too long": {**good, "state": good["state"] * 2},
        "state a dict": {**good, "state": {"id": "unc-text"}},
        "changedPropIds a dict": {**good, "changedPropIds": {"a": 1}},
        "changedPropIds of lists": {**good, "changedPropIds": [["a"]]},
    }
    return [pytest.param(body, id=label) for label, body in bodies.items()]


@pytest.mark.parametrize("body", _malformed_bodies())
def test_a_malformed_body_answers_400(client, callback_runs, body):
    r = _post(client, body)
    assert r.status_code == 400, (r.status_code, r.get_data(as_text=True)[:300])
    assert callback_runs == []


def test_json_of_another_content_type_answers_400(client, callback_runs):
    assert _post(client, _body(RUN), content_type="text/plain").status_code == 400
    assert callback_runs == []


def test_user_text_is_never_evaluated(client, tmp_path):
    marker = tmp_path / "ran"
    code = PYTHON.format(marker=marker)
    download = _writing("unc-download.data")
    upload = _writing("unc-text.value")
    for key, slot, value in [
        (RUN, "unc-text.value", code), (download, "unc-text.value", code),
        (upload, "unc-upload.contents", _data_url(code.encode())),
        # valid TOML whose values are code: read as names and distributions, never run
        (RUN, "unc-text.value", f'[inputs]\nutilization = "{code}"'),
        (RUN, "unc-text.value", f'[inputs]\naccelerator = "{code}"'),
        (RUN, "unc-text.value", f'[scenario]\nname = "{code}"\nmodel = "{code}"'),
    ]:
        message, changed = _answer(_post(client, _body(key, {slot: value})), key)
        assert message.startswith("error: ") and not changed, message
        if value == code:
            assert "is not valid TOML" in message, message  # parsed as data, and rejected
    for key, slot in SLOTS:
        if _kind(slot) in ("choice", "count", "amount"):
            message, _ = _answer(_post(client, _body(key, {slot: code})), key)
            assert message.startswith("error: "), (slot, message)
    assert not marker.exists()


def test_a_value_that_divides_by_zero_is_an_error_naming_the_inputs(client):
    text = '[inputs]\npower_price_usd_per_kwh = "1/0 USD/kWh"\n'
    message, changed = _answer(_post(client, _body(RUN, {"unc-text.value": text})), RUN)
    assert message.startswith("error: scenario:2: inputs.power_price_usd_per_kwh: cannot read")
    assert not changed


def test_the_tco_download_is_written_by_a_toml_writer(client):
    from siliconomics.scenario import Scenario

    key = _writing("tco-download.data")
    r = _post(client, _body(key))
    message, changed = _answer(r, key)
    assert message == "" and changed == {"tco-download"}
    content = r.get_json()["response"]["tco-download"]["data"]["content"]
    assert tomllib.loads(content) == {
        "scenario": {"name": "TCO of h100-sxm at us-texas", "model": "tco", "samples": 10_000,
                     "seed": 0},
        "inputs": {"accelerator": "h100-sxm", "site": "us-texas", "financing": "hyperscaler",
                   "accelerators": 100_000, "utilization": 1.0,
                   "power_price_usd_per_kwh": "0.066 USD/kWh", "pue": 1.25},
    }
    assert Scenario.from_text(content).model == "tco"


def test_the_uncertainty_download_offers_only_a_valid_scenario(client):
    key = _writing("unc-download.data")
    out = _post(client, _body(key)).get_json()["response"]
    assert out["unc-download"]["data"]["content"] == DEFAULT  # as written, byte for byte
    for text in ("[scenario\n", "[scenario]\nsamples = -1\n", "[nonsense]\nx = 1\n"):
        message, changed = _answer(_post(client, _body(key, {"unc-text.value": text})), key)
        assert message.startswith("error: scenario") and not changed, message


@pytest.mark.parametrize("fail", [
    pytest.param(lambda: __import__("numpy").add(__import__("numpy").array(["a"]), 1),
                 id="numpy type"),
    pytest.param(lambda: math.exp(1000), id="overflow"),
    pytest.param(lambda: 1 / 0, id="division by zero"),
    pytest.param(lambda: int("x"), id="value"),
    pytest.param(lambda: (_ for _ in ()).throw(RecursionError("maximum recursion depth")),
                 id="recursion"),
])
def test_the_guard_puts_an_unexpected_error_in_its_own_words(fail, caplog):
    import dash
    from dash import Input, Output

    from siliconomics.app.pages._common import error_box, guard

    app = dash.Dash(__name__)
    app.layout = html.Div([html.Button(id="go"), html.Div(id="out"), error_box("err")])

    @app.callback(Output("out", "children"), Output("err", "children"), Input("go", "n_clicks"))
    @guard
    def broken(_):
        fail()
        return ("never",)

    key = next(iter(app.callback_map))
    body = {"output": key, "outputs": split_callback_id(key),
            "inputs": [{"id": "go", "property": "n_clicks", "value": 1}], "changedPropIds": []}
    with caplog.at_level(logging.WARNING, logger="siliconomics.app.pages._common"):
        r = app.server.test_client().post(URL, json=body)
    assert r.status_code == 200
    out = r.get_json()["response"]
    assert set(out) == {"err", "out"} and out["out"] == {"children": ""}  # stale result cleared
    assert out["err"]["children"].startswith("error: these inputs cannot be computed")
    _assert_own_words(out["err"]["children"])
    assert "input not caught by the page's checks" in caplog.text  # logged for a developer


def test_a_link_opens_its_view_and_a_view_writes_its_link(client):
    opened = _writing("tabs.value")
    out = _post(client, _body(opened)).get_json()["response"]
    assert out["tabs"] == {"value": "training"}
    assert out["train-accelerator"] == {"value": "b200"}
    assert out["train-tokens"] == {"value": 10**12}  # a whole number, never 1e+12
    assert out["link-error"] == {"children": ""}
    written = _writing("url.search")
    r = _post(client, _body(written, {"tco-accelerator.value": "b200",
                                      "tco-accelerators.value": 4096}))
    search = r.get_json()["response"]["url"]["search"]
    assert search == ("?page=tco&tco-accelerator=b200&tco-site=us-texas&"
                      "tco-financing=hyperscaler&tco-accelerators=4096&tco-utilization=1.0")
    # the written link opens the same view
    back = _post(client, _body(opened, {"url.search": search})).get_json()["response"]
    assert back["tabs"] == {"value": "tco"} and back["tco-accelerators"] == {"value": 4096}
