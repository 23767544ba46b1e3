"""The dashboard and the report in a real browser: headless Chromium driven by Playwright.

Chromium comes from the system (Debian's ``chromium`` package, installed by ``make test``);
nothing is downloaded at test time. Screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: install Debian's chromium package (make test does it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def dashboard_url():
    from werkzeug.serving import make_server

    from siliconomics.app import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def _changed(page, selector, before, timeout=15_000):
    page.wait_for_function(
        "([s, b]) => { const e = document.querySelector(s); return e && e.innerText && "
        "e.innerText !== b; }", arg=[selector, before], timeout=timeout)
    return page.inner_text(selector)


def _dollars(text):
    """The first dollar figure of a headline (``$2.13/h`` or ``$1,234``)."""
    return float(text.split("$")[1].split()[0].split("/")[0].replace(",", ""))


def test_dashboard_accelerator_and_slider_change_the_cost(page, dashboard_url):
    page.goto(dashboard_url)
    page.wait_for_selector("#tco-headline:not(:empty)", timeout=30_000)
    h100 = page.inner_text("#tco-headline")
    page.screenshot(path=str(ARTIFACTS / "dashboard-tco.png"), full_page=True)

    page.click("#tco-accelerator")
    page.get_by_role("option", name="b200", exact=True).click()
    b200 = _changed(page, "#tco-headline", h100)
    assert _dollars(b200) != _dollars(h100)

    page.focus("#tco-utilization [role=slider]")
    for _ in range(4):  # 1.0 -> 0.8
        page.keyboard.press("ArrowLeft")
    lower = _changed(page, "#tco-headline", b200)
    assert _dollars(lower) > _dollars(b200)  # fewer utilised hours carry the same capital
    page.screenshot(path=str(ARTIFACTS / "dashboard-tco-b200-80pct.png"), full_page=True)
    assert not page.errors, page.errors


@pytest.mark.parametrize("tab", ["silicon", "training", "serving", "sites", "whatif"])
def test_dashboard_pages_render(page, dashboard_url, tab):
    page.goto(dashboard_url)
    page.wait_for_selector("#tco-headline:not(:empty)", timeout=30_000)
    page.click(f"#tab-{tab}")
    # the page's chart has drawn its data: a trace inside a visible plot
    page.wait_for_selector(".js-plotly-plot:visible .trace >> visible=true", timeout=60_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{tab}.png"), full_page=True)
    alert = page.locator("[role=alert]").all_inner_texts()
    assert not any(a.strip() for a in alert), alert
    _every_chart_has_axis_titles(page)
    assert page.url.endswith(f"?page={tab}") or f"page={tab}&" in page.url  # shareable
    assert not page.errors, page.errors


def _every_chart_has_axis_titles(page):
    """Each visible Plotly chart names both axes (the titles carry the units)."""
    charts = page.locator(".js-plotly-plot:visible")
    assert charts.count() >= 1
    for i in range(charts.count()):
        chart = charts.nth(i)
        if chart.locator(".trace").count() == 0:
            continue  # an empty chart (a result cleared by an error) has no axes to name
        titles = [t for t in chart.locator(".g-xtitle, .g-ytitle").all_text_contents() if t]
        assert len(titles) == 2, titles


def test_a_link_opens_its_page_with_its_inputs(page, dashboard_url):
    page.goto(dashboard_url + "?page=training&train-accelerator=b200&train-tokens=15600000000000")
    page.wait_for_selector("#train-headline:not(:empty)", timeout=60_000)
    assert page.locator("#tab-training.tab--selected").count() == 1
    box = page.locator("#train-tokens")
    assert box.input_value() == "15600000000000"
    # the box is wide enough to show the count whole (not cut to "156000...")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert "b200" in page.inner_text("#train-accelerator")
    page.screenshot(path=str(ARTIFACTS / "dashboard-link.png"), full_page=True)
    assert not page.errors, page.errors


def test_a_change_rewrites_the_link(page, dashboard_url):
    page.goto(dashboard_url)
    page.wait_for_selector("#tco-headline:not(:empty)", timeout=30_000)
    page.fill("#tco-accelerators", "4096")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('tco-accelerators=4096')",
                           timeout=15_000)
    assert "page=tco" in page.url
    page.click("#tab-whatif")
    page.wait_for_function("() => location.search.startsWith('?page=whatif')", timeout=15_000)
    assert not page.errors, page.errors


def test_an_error_clears_the_stale_result(page, dashboard_url):
    page.goto(dashboard_url)
    page.wait_for_selector("#tco-headline:not(:empty)", timeout=30_000)
    page.fill("#tco-accelerators", "0")
    page.keyboard.press("Enter")
    page.wait_for_selector("#tco-error:not(:empty)", timeout=15_000)
    assert page.inner_text("#tco-headline") == ""  # no figure from the last good inputs
    assert page.locator("#tco-graph .barlayer .trace").count() == 0
    assert not page.errors, page.errors


def test_bad_input_is_a_message_in_the_page(page, dashboard_url):
    page.goto(dashboard_url)
    page.wait_for_selector("#tco-headline:not(:empty)", timeout=30_000)
    page.fill("#tco-accelerators", "0")
    page.keyboard.press("Enter")
    page.wait_for_selector("#tco-error:not(:empty)", timeout=15_000)
    assert "accelerators must be >= 1" in page.inner_text("#tco-error")
    # the app keeps running: a valid value clears the message
    page.fill("#tco-accelerators", "1000")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#tco-error').innerText === ''",
                           timeout=15_000)


def test_report_opens_without_console_errors(page, tmp_path):
    from siliconomics.report.html import write_report
    from siliconomics.report.sections import ReportContext, build_all

    out = tmp_path / "report"
    write_report(build_all(ReportContext(sites=["us-texas", "malaysia-johor"])), out)
    page.goto((out / "index.html").as_uri())
    page.wait_for_selector("section svg", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert not page.errors, page.errors
    assert page.locator("section").count() >= 5


def test_scenario_upload_download_roundtrip_and_run(page, dashboard_url, tmp_path):
    from siliconomics.app.pages.tco import scenario_toml

    text = scenario_toml("b200", "finland", "sovereign", 5000, 0.85, 0.09, 1.15)
    src = tmp_path / "mine.toml"
    src.write_bytes(text.encode())
    page.goto(dashboard_url)
    page.wait_for_selector("#tco-headline:not(:empty)", timeout=30_000)
    page.click("#tab-uncertainty")
    page.wait_for_selector("#unc-upload input[type=file]", state="attached", timeout=15_000)
    page.set_input_files("#unc-upload input[type=file]", str(src))
    page.wait_for_function("t => document.querySelector('#unc-text').value === t", arg=text,
                           timeout=15_000)
    with page.expect_download() as info:
        page.click("#unc-download-button")
    back = tmp_path / "back.toml"
    info.value.save_as(back)
    assert back.read_bytes() == src.read_bytes()  # identical, byte for byte

    page.fill("#unc-samples", "5000")
    page.click("#unc-run")
    page.wait_for_selector("#unc-summary:not(:empty)", timeout=60_000)
    assert "5,000 samples" in page.inner_text("#unc-summary")
    page.screenshot(path=str(ARTIFACTS / "dashboard-uncertainty.png"), full_page=True)

    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\nname = 1\n")
    page.set_input_files("#unc-upload input[type=file]", str(bad))
    page.wait_for_selector("#unc-error:not(:empty)", timeout=15_000)
    assert "not valid TOML" in page.inner_text("#unc-error")
    assert not page.errors, page.errors
