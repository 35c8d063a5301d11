import matplotlib

matplotlib.use("Agg")

import customervalue as cv  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def survey():
    return cv.datasets.pricing_survey(2000, seed=0)


@pytest.fixture(scope="session")
def customers():
    return cv.datasets.customers(20_000, seed=0)


@pytest.fixture(scope="session")
def cdnow():
    return cv.datasets.cdnow()
