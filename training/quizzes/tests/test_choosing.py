"""Setting a test from a large bank on a slow phone: the chosen questions first, then one page of
the others, narrowed by topic, language and words; searching and turning pages keep the ticks and
the times typed, and save nothing."""

from __future__ import annotations

import re

import pytest

from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions, choosing
from training.quizzes.models import Kind, Question, Test
from training.quizzes.tests.world import import_bank, make_session

pytestmark = pytest.mark.django_db

BANK = 200


@pytest.fixture
def bank(cast) -> list[Question]:
    """The world's three questions and 200 more in eight topics, a few of them in Kiswahili."""
    import_bank(cast)
    moi = cast.institutions["MOI"]
    blocks = []
    for topic in range(8):
        blocks.append(f"$CATEGORY: Topic {topic}")
        blocks += [
            f"::bulk-{topic}-{n}:: Bulk question {topic}-{n} about the spine?{{=yes ~no}}"
            for n in range(BANK // 8)
        ]
    actions.import_gift(cast.coordinator, moi, "en", "\n\n".join(blocks))
    actions.import_gift(cast.coordinator, moi, "sw", "::bulk-3-7:: Swali la mgongo?{=ndiyo ~hapana}")
    return list(Question.objects.order_by("pk"))


def boxes(body: str) -> list[tuple[int, bool]]:
    return [
        (int(value), bool(checked))
        for value, checked in re.findall(r'name="questions" value="(\d+)"( checked)?', body)
    ]


def test_the_page_lists_one_page_of_a_large_bank_and_stays_light(cast, client, bank):
    session = make_session(cast)
    page = sign_in(client, cast.coordinator).get(f"/training/sessions/{session.pk}/tests/pre/edit/")
    body = page.content.decode()
    assert len(bank) == BANK + 3
    assert len(boxes(body)) == choosing.PAGE
    assert (
        f"{len(bank)} other questions match." in body
        and f"Page 1 of {-(-len(bank) // choosing.PAGE)}" in body
    )
    assert len(page.content) < 40_000 and compressed(page.content) + static_size() < PAGE_BUDGET


def test_the_chosen_questions_come_first_and_ticked(cast, client, bank):
    session = make_session(cast)
    last = bank[-5:]
    test = actions.set_test(cast.coordinator, session, Kind.PRE, last, session.starts_at, session.ends_at)
    body = sign_in(client, cast.coordinator).get(f"/training/sessions/{session.pk}/tests/pre/edit/").content
    shown = boxes(body.decode())
    assert {pk for pk, checked in shown[:5] if checked} == {q.pk for q in test.questions.all()}
    assert not any(checked for _pk, checked in shown[5:]) and len(shown) == 5 + choosing.PAGE


def test_searching_and_turning_pages_keep_the_ticks_and_times_and_save_nothing(cast, client, bank):
    session = make_session(cast)
    url = f"/training/sessions/{session.pk}/tests/post/edit/"
    sign_in(client, cast.coordinator)
    first = bank[0]
    typed = {"questions": [first.pk], "opens_at": "2026-01-05T08:00", "closes_at": "2026-01-05T09:00"}
    found = client.post(url, typed | {"topic": "Topic 3", "words": "spine", "show": "1"}).content.decode()
    assert not Test.objects.exists()
    assert 'value="2026-01-05T08:00"' in found and 'value="2026-01-05T09:00"' in found
    shown = boxes(found)
    assert shown[0] == (first.pk, True)
    in_topic = {q.pk for q in bank if q.topic == "Topic 3"}
    assert {pk for pk, _checked in shown[1:]} <= in_topic and len(shown) == 1 + choosing.PAGE
    second = client.post(url, typed | {"topic": "Topic 3", "words": "spine", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second and shown[1][0] not in {pk for pk, _c in boxes(second)}
    swahili = client.post(url, typed | {"language": "sw", "words": "mgongo", "show": "1"}).content.decode()
    assert [pk for pk, _c in boxes(swahili)][1:] == [Question.objects.get(name="bulk-3-7").pk]
    picked = [first.pk, *(pk for pk, _c in shown[1:4])]
    saved = client.post(url, typed | {"questions": picked, "topic": "Topic 3"})
    assert saved.status_code == 302
    assert set(Test.objects.get().questions.values_list("pk", flat=True)) == set(picked)


def test_a_refused_save_keeps_the_ticked_questions(cast, client, bank):
    session = make_session(cast)
    url = f"/training/sessions/{session.pk}/tests/pre/edit/"
    picked = [q.pk for q in bank[100:103]]
    sign_in(client, cast.coordinator)
    page = client.post(
        url, {"questions": picked, "opens_at": "2026-01-05T08:00", "closes_at": "2026-01-05T07:00"}
    )
    body = page.content.decode()
    assert "The test must close after it opens." in body
    assert [(pk, True) for pk in sorted(picked)] == sorted(boxes(body)[:3])
    assert not Test.objects.exists()
