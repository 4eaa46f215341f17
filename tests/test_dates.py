from datetime import date

import pytest

from smpcare.dates import parse_date
from smpcare.errors import SmpcareError

TODAY = date(2024, 5, 6)  # a Monday


@pytest.mark.parametrize("text,expected", [
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
])
def test_accepted_forms(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text,code,message", [
    ("05/06/2024", "E202", "error E202: date '05/06/2024' is ambiguous: Mon 6 May 2024 "
                           "(2024-05-06) or Wed 5 Jun 2024 (2024-06-05)? Write it as YYYY-MM-DD."),
    ("13/06/2024", "E202", "error E202: date '13/06/2024' uses a numeric form smpcare does not "
                           "guess at. Write it as YYYY-MM-DD, e.g. 2024-06-13."),
    ("2024/05/06", "E202", "error E202: date '2024/05/06' uses a numeric form smpcare does not "
                           "guess at. Write it as YYYY-MM-DD, e.g. 2024-05-06."),
    ("5.6.24", "E202", "error E202: date '5.6.24' is ambiguous: Mon 6 May 2024 (2024-05-06) or "
                       "Wed 5 Jun 2024 (2024-06-05)? Write it as YYYY-MM-DD."),
    ("2024-02-30", "E201", "error E201: date '2024-02-30' is not a real calendar date. Check "
                           "the day and month, e.g. 2024-05-01."),
    ("soon", "E201", "error E201: date 'soon' is not a date smpcare understands. Use YYYY-MM-DD "
                     "(2024-05-01), today, yesterday, tomorrow, '3 days ago', 'in 2 weeks', "
                     "'last friday', 'next friday', '1 May 2024' or 'May 1 2024'."),
    ("last funday", "E201", "error E201: date 'last funday' names no weekday. Use e.g. 'last "
                            "friday' or 'next monday'."),
    ("1 Smarch 2024", "E201", "error E201: date '1 Smarch 2024': 'smarch' is not a month name. "
                              "Use YYYY-MM-DD (2024-05-01), today, yesterday, tomorrow, "
                              "'3 days ago', 'in 2 weeks', 'last friday', 'next friday', "
                              "'1 May 2024' or 'May 1 2024'."),
    ("31 June 2024", "E201", "error E201: date '31 June 2024' is not a real calendar date. "
                             "Check the day and month, e.g. 2024-05-01."),
    ("", "E201", None),
])
def test_refusals_name_the_input_and_what_is_accepted(text, code, message):
    with pytest.raises(SmpcareError) as err:
        parse_date(text, today=TODAY)
    assert err.value.code == code
    if message:
        assert err.value.line() == message
