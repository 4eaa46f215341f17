from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smpcare.dates import parse_date
from smpcare.errors import SmpcareError

TODAY = date(2024, 5, 6)  # a Monday


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024-05-01", date(2024, 5, 1)),
        ("today", TODAY),
        ("  Today ", TODAY),
        ("yesterday", date(2024, 5, 5)),
        ("tomorrow", date(2024, 5, 7)),
        ("3 days ago", date(2024, 5, 3)),
        ("1 day ago", date(2024, 5, 5)),
        ("in 4 days", date(2024, 5, 10)),
        ("in 2 weeks", date(2024, 5, 20)),
        ("last friday", date(2024, 5, 3)),
        ("next friday", date(2024, 5, 10)),
        ("last monday", date(2024, 4, 29)),  # today is a Monday: last one is a week ago
        ("next mon", date(2024, 5, 13)),
        ("1 May 2024", date(2024, 5, 1)),
        ("May 1 2024", date(2024, 5, 1)),
        ("May 1, 2024", date(2024, 5, 1)),
        ("1st May 2024", date(2024, 5, 1)),
        ("sept 3 2024", date(2024, 9, 3)),
        ("3 May", date(2024, 5, 3)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text,code,message",
    [
        (
            "05/06/2024",
            "E202",
            "error E202: date '05/06/2024' is ambiguous: Mon 6 May 2024 "
            "(2024-05-06) or Wed 5 Jun 2024 (2024-06-05)? Write it as YYYY-MM-DD.",
        ),
        (
            "13/06/2024",
            "E202",
            "error E202: date '13/06/2024' uses a numeric form smpcare does not "
            "guess at. Write it as YYYY-MM-DD, e.g. 2024-06-13.",
        ),
        (
            "2024/05/06",
            "E202",
            "error E202: date '2024/05/06' uses a numeric form smpcare does not "
            "guess at. Write it as YYYY-MM-DD, e.g. 2024-05-06.",
        ),
        (
            "5.6.24",
            "E202",
            "error E202: date '5.6.24' is ambiguous: Mon 6 May 2024 (2024-05-06) or "
            "Wed 5 Jun 2024 (2024-06-05)? Write it as YYYY-MM-DD.",
        ),
        (
            "2024-02-30",
            "E201",
            "error E201: date '2024-02-30' is not a real calendar date. Check "
            "the day and month, e.g. 2024-05-01.",
        ),
        (
            "soon",
            "E201",
            "error E201: date 'soon' is not a date smpcare understands. Use YYYY-MM-DD "
            "(2024-05-01), today, yesterday, tomorrow, '3 days ago', 'in 2 weeks', "
            "'last friday', 'next friday', '1 May 2024' or 'May 1 2024'.",
        ),
        (
            "last funday",
            "E201",
            "error E201: date 'last funday' names no weekday. Use e.g. 'last "
            "friday' or 'next monday'.",
        ),
        (
            "1 Smarch 2024",
            "E201",
            "error E201: date '1 Smarch 2024': 'smarch' is not a month name. "
            "Use YYYY-MM-DD (2024-05-01), today, yesterday, tomorrow, "
            "'3 days ago', 'in 2 weeks', 'last friday', 'next friday', "
            "'1 May 2024' or 'May 1 2024'.",
        ),
        (
            "31 June 2024",
            "E201",
            "error E201: date '31 June 2024' is not a real calendar date. "
            "Check the day and month, e.g. 2024-05-01.",
        ),
        ("", "E201", None),
    ],
)
def test_refusals_name_the_input_and_what_is_accepted(text, code, message):
    with pytest.raises(SmpcareError) as err:
        parse_date(text, today=TODAY)
    assert err.value.code == code
    if message:
        assert err.value.line() == message


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1900-01-01", date(1900, 1, 1)),
        ("2200-12-31", date(2200, 12, 31)),
        ("٢٠٢٤-٠٥-٠١", date(2024, 5, 1)),  # Arabic-Indic digits are digits  # noqa: RUF001
        ("２０２４-０５-０１", date(2024, 5, 1)),  # and so are fullwidth ones  # noqa: RUF001
        ("in ３ days", date(2024, 5, 9)),  # a fullwidth digit on purpose  # noqa: RUF001
        ("in 10000 weeks", None),
    ],
)
def test_the_supported_range_and_digits_of_any_script(text, expected):
    if expected is None:
        with pytest.raises(SmpcareError) as err:
            parse_date(text, today=TODAY)
        assert err.value.code == "E212"
    else:
        assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text,code,message",
    [
        (
            "9999-12-31",
            "E212",
            "error E212: --session '9999-12-31' is outside the dates smpcare "
            "plans for (1900-01-01 to 2200-12-31). Give a date from 1900 to 2200.",
        ),
        ("1899-12-31", "E212", None),
        ("0001-01-01", "E212", None),
        ("1 May 2201", "E212", None),
        ("in 9999 weeks", "E212", None),
        ("99999 days ago", "E212", None),
        (
            "in " + "9" * 5000 + " days",
            "E212",
            "error E212: --session 'in 9999999999999999999999999999"
            "99999999999999999999999999...' is outside the dates "
            "smpcare plans for (1900-01-01 to 2200-12-31). Give a "
            "date from 1900 to 2200.",
        ),
        ("2024-05-0²", "E201", None),  # passes isdigit(), is no digit
        ("²⁰²⁴-⁰⁵-⁰¹", "E201", None),
        ("in ² days", "E201", None),
        ("1² May 2024", "E201", None),
        (
            "05/06/0150",
            "E202",
            "error E202: --session '05/06/0150' uses a numeric form smpcare "
            "does not guess at. Write it as YYYY-MM-DD.",
        ),
    ],
)
def test_dates_out_of_range_or_with_false_digits_are_refused(text, code, message):
    with pytest.raises(SmpcareError) as err:
        parse_date(text, today=TODAY, what="--session")
    assert err.value.code == code
    if message:
        assert err.value.line() == message


# Digits of other scripts and look-alikes on purpose: the parser must read or refuse each.
DIGITS = st.sampled_from("0123456789²³¹٠١٢٣٤٥٦٧٨٩０１２３４５６７８９߀𝟘")  # noqa: RUF001
WORDS = st.sampled_from(
    [
        "today",
        "in",
        "ago",
        "days",
        "weeks",
        "last",
        "next",
        "friday",
        "May",
        "sept",
        "-",
        "/",
        ".",
        ",",
        " ",
        "st",
        "\x1b",
        "\n",
        "\u202e",
    ]
)
TYPED = st.lists(st.one_of(DIGITS, WORDS, st.characters()), max_size=14).map("".join)
NUMBER = st.integers(min_value=0, max_value=10**7).map(str)
FORMED = st.one_of(  # well-formed shapes with any numbers in them, in and out of range
    st.builds("{}-{:0>2}-{:0>2}".format, NUMBER, NUMBER, NUMBER),
    st.builds("{}/{}/{}".format, NUMBER, NUMBER, NUMBER),
    st.builds("in {} {}".format, NUMBER, st.sampled_from(["days", "weeks"])),
    st.builds("{} {} ago".format, NUMBER, st.sampled_from(["day", "weeks"])),
    st.builds("{} May {}".format, NUMBER, NUMBER),
)


@given(
    text=st.one_of(st.text(), TYPED, FORMED),
    today=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
)
def test_any_text_is_a_date_in_range_or_one_coded_refusal(text, today):
    try:
        day = parse_date(text, today=today)
    except SmpcareError as exc:
        assert exc.code in ("E201", "E202", "E212")
    else:
        assert date(1900, 1, 1) <= day <= date(2200, 12, 31)
