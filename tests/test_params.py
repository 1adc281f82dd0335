"""The one validation boundary (``mediakit._params``): constraints, message shape, caller's line."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import pandas as pd
import pytest

import mediakit as mk
from mediakit._params import Column, Frame, Interval, Options, validate_params, warn


@validate_params(
    data=[Frame()], by=[Column()], stat=[Options("g2", "chi2")],
    n_jobs=[Interval(Integral, 1, None)], scale=[Interval(Real, 0, None, closed="neither"), None],
)
def _f(data, *, by="outlet", stat="g2", n_jobs=1, scale=None):
    return by, stat, n_jobs, scale


FRAME = pd.DataFrame({"outlet": ["a"]})


def test_good_values_pass_through():
    assert _f(FRAME, by="bias", stat="chi2", n_jobs=2, scale=0.5) == ("bias", "chi2", 2, 0.5)


@pytest.mark.parametrize("kwargs, words", [
    ({"n_jobs": "2"}, "n_jobs must be an integer in [1, inf); got '2' (str)"),
    ({"n_jobs": True}, "got True (bool)"),
    ({"n_jobs": 0}, "got 0 (int)"),
    ({"scale": True}, "scale must be a number in (0, inf) or None; got True (bool)"),
    ({"stat": "g3"}, "stat must be one of 'g2', 'chi2'; got 'g3' (str). Did you mean 'g2'?"),
    ({"by": ""}, "by must be a column name"),
])
def test_one_error_type_and_message_shape(kwargs, words):
    with pytest.raises(mk.InvalidParameterError) as err:
        _f(FRAME, **kwargs)
    assert words in str(err.value)
    assert str(err.value).startswith("_f(")
    assert err.value.param == next(iter(kwargs))
    assert isinstance(err.value, ValueError) and isinstance(err.value, TypeError)


def test_data_must_be_a_frame():
    with pytest.raises(TypeError, match=r"data must be a pandas DataFrame.*got 123 \(int\)"):
        _f(123)


def test_unknown_keyword_names_the_nearest():
    with pytest.raises(mk.InvalidParameterError, match="unexpected keyword argument 'n_job'.*'n_jobs'"):
        _f(FRAME, n_job=2)


def test_declared_tables_are_public():
    assert set(_f.__mediakit_params__) == {"data", "by", "stat", "n_jobs", "scale"}


def test_warn_points_at_the_caller():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn("look here", mk.MediakitWarning)
    assert caught[0].filename == __file__
