import pytest

from siliconomics.errors import InputError
from siliconomics.units import parse


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("150 MW", "W", 150e6),
        ("1.2 GW", "MW", 1200.0),
        ("0.07 USD/kWh", "USD/kWh", 0.07),
        ("$0.07/kWh", "USD/kWh", 0.07),
        ("7 ¢/kWh", "USD/kWh", 0.07),
        ("70 USD/MWh", "USD/kWh", 0.07),
        ("814 mm^2", "mm^2", 814.0),
        ("8.14 cm²", "mm^2", 814.0),
        ("5 years", "year", 5.0),
        ("10%", "", 0.10),
        ("$30k", "USD", 30_000.0),
        ("$1.2B", "USD", 1.2e9),
        ("11.7 MUSD/MW", "USD/MW", 11.7e6),
        ("2.5 USD/h", "USD/hour", 2.5),
        (42, "W", 42.0),
        ("3.5", "W", 3.5),
    ],
)
def test_parse(text, unit, expected):
    assert parse(text, unit) == pytest.approx(expected, rel=1e-12)


def test_dimension_mismatch_names_expected_and_given():
    with pytest.raises(InputError, match=r"power_price: expected a quantity in USD/kWh .* got '150 MW'"):
        parse("150 MW", "USD/kWh", name="power_price")


def test_garbage_is_input_error():
    with pytest.raises(InputError, match="cannot read"):
        parse("lots of watts", "W")


def test_bool_is_rejected():
    with pytest.raises(InputError):
        parse(True, "W")


@pytest.mark.parametrize(("text", "usd"), [
    ("2.5 B USD", 2.5e9), ("30 k USD", 3e4), ("1.2 T USD", 1.2e12), ("$2T", 2e12),
    ("4 M USD", 4e6),
])
def test_scaled_dollars_with_a_space(text, usd):
    """'B' before USD is a billion, not a byte."""
    assert parse(text, "USD") == pytest.approx(usd)


def test_readable_units():
    from siliconomics.units import readable

    assert readable("") and readable("USD/kWh") and readable("kgCO2e/kWh") and readable("mm^2")
    assert not readable("fraction of maximum server power")


def test_years_abbreviated_and_non_text_values():
    assert parse("3 yrs", "year") == pytest.approx(3.0)
    with pytest.raises(InputError, match="must be a number or a string with a unit, got \\[1\\]"):
        parse([1], "W", name="x")


# --- thousand/million/billion suffixes and implausible values ---------------------------------
import pytest as _pytest  # noqa: E402

from siliconomics import units as _units  # noqa: E402
from siliconomics.errors import InputError as _InputError  # noqa: E402


@_pytest.mark.parametrize("text, unit, expected", [
    ("30k", "USD", 30_000.0), ("30K", "USD", 30_000.0), ("2.5M", "USD", 2.5e6),
    ("1.2B", "USD", 1.2e9), ("3T", "", 3e12), ("2.5M tokens", "token", 2.5e6),
    ("15.6T tokens", "token", 15.6e12), ("30k USD", "USD", 30_000.0), ("$30k", "USD", 30_000.0),
    ("1.5k", "USD/h", 1500.0),
])
def test_suffixes_for_money_and_counts(text, unit, expected):
    assert _units.parse(text, unit) == _pytest.approx(expected, rel=1e-12)


def test_suffix_does_not_swallow_si_prefixes_of_units():
    assert _units.parse("5 kW", "W") == 5000.0
    assert _units.parse("150 MW", "W") == 150e6
    with _pytest.raises(_InputError):
        _units.parse("30k kg", "USD")


@_pytest.mark.parametrize("value, unit, low, high, guess", [
    (12, "USD/kWh", 0.03, 0.2, "12 US cents/kWh"),
    (60, "USD/kWh", 0.03, 0.2, "60 USD/MWh"),
    (11.7, "USD/MW", 5e6, 15e6, "11.7 million USD/MW"),
    (30, "USD", 1500, 70000, "30k USD"),
    (75, "fraction", 0.5, 0.9, "75%"),
    (1.4, "W", 300, 2000, "1.4 kW"),
])
def test_implausible_values_propose_the_likely_unit(value, unit, low, high, guess):
    message = _units.implausible(value, unit, low, high, name="x")
    assert message.startswith("x: ") and message.endswith(f"did you mean {guess}?")


@_pytest.mark.parametrize("value", [0.03, 0.2, 0.01, 1.5, 0.0, -1.0, float("nan")])
def test_plausible_values_pass(value):
    assert _units.implausible(value, "USD/kWh", 0.03, 0.2) is None


def test_huge_values_do_not_overflow():
    message = _units.implausible(1.8e307, "USD/kWh", 0.03, 0.2, name="p")
    assert message.startswith("p: 1.8e+307 USD/kWh is 1e308x the catalog range")
    assert message.endswith("check its unit")
    assert _units.implausible(1e308, "USD/kWh", 0.03, 0.2).endswith("check its unit")
    assert _units.implausible(1e-300, "USD/kWh", 0.03, 0.2).endswith("check its unit")


def test_far_value_without_a_known_unit_says_check_it():
    assert _units.implausible(5e5, "USD/GB", 1, 20).endswith("check its unit")


@_pytest.mark.parametrize("token, out", [
    ("16k", "16000"), ("2.5M", "2500000"), ("1.2B", "1200000000"), ("3T", "3000000000000"),
    ("2.5k", "2500"), ("0.5k", "500"), ("--accelerators=16k", "--accelerators=16000"),
    ("1.5", "1.5"), ("h100", "h100"), ("16kW", "16kW"), ("k", "k"), ("-5k", "-5k"),
    ("us-texas", "us-texas"), ("1.2345k", "1234.5"),
])
def test_command_line_counts_expand(token, out):
    assert _units.expand_count(token) == out
