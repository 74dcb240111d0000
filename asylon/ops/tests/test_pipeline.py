import pytest

from asylon.ops.synth import PreparationFailed, synthesise
from asylon.ops.synth.pipeline import can_prepare_in_background, prepared_rows
from asylon.ops.tests.clear_data import clear_data, names_by_case
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.skipif(not can_prepare_in_background(), reason="needs fork and two cores")


def test_batches_prepared_in_a_second_process_equal_batches_prepared_inline(organisation):
    background = synthesise(organisation=organisation, persons=25, seed=8, batch_persons=10)  # three batches
    inline_organisation = OrganisationFactory()
    inline = synthesise(organisation=inline_organisation, persons=25, seed=8, batch_persons=100)

    assert background.counts == inline.counts
    assert clear_data(organisation) == clear_data(inline_organisation)
    assert names_by_case(organisation) == names_by_case(inline_organisation)


def failing_batches():
    yield {}
    raise ValueError("a story could not be drawn")


def test_a_failure_while_preparing_is_reported_with_its_traceback():
    batches = prepared_rows(failing_batches(), in_background=True)
    assert next(batches) == {}
    with pytest.raises(PreparationFailed, match="a story could not be drawn"):
        next(batches)
