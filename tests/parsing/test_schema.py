"""The one vocabulary of cell names: standard cells and the extra cells some
reports print (subtotal rows, the 8th column) both get Chinese labels, which
the app, the checks and the audit-log export all show."""

from parsing.model.schema import cell_label, cell_labels


def test_extra_cells_have_chinese_labels_like_standard_ones():
    assert cell_label("requests.total.total", short=True) == "(七)总计·总计"
    assert cell_label("requests.subtotal_denied.total") == "（三）不予公开·小计·总计"
    assert cell_label("requests.subtotal_denied.total", short=True) == "(三)小计·总计"
    assert cell_labels("requests.new_received.legal_entity_subtotal", short=True) == ("一、本年新收", "法人小计")
    assert cell_label("requests.subtotal_other.legal_entity_subtotal") == "（六）其他处理·小计·法人或其他组织小计"


def test_unknown_paths_come_back_as_given():
    for path in ("x.y", "requests.no_such_row.total", "reviews.review.legal_entity_subtotal", "active.subtotal_denied.total"):
        assert cell_label(path) == path and cell_labels(path) is None


def test_get_cell_reads_standard_and_extra_cells_and_never_raises():
    from parsing.model.schema import get_cell

    report = {"tables": {"requests": {"total": {"total": 34}}},
              "extra_cells": {"requests.subtotal_denied.total": 4}}
    assert get_cell(report, "requests.total.total") == 34
    assert get_cell(report, "requests.subtotal_denied.total") == 4
    assert get_cell(report, "requests.carried_over.total") is None
    assert get_cell(report, "not-a-path") is None
