"""Demonstration data for the question bank and the tests: a short synthetic bank about head
injury and hydrocephalus, imported from GIFT in English, Kiswahili and Chinese through the real
import; for the demo's held workshop, a pre-test and a post-test with synthetic attempts; and for
the next planned session, its pre-test, open now until the session starts.
Illustrative teaching questions written for the demo, not a validated examination. Loaded once;
running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import Institution, User
from training.quizzes import actions
from training.quizzes.models import Attempt, Kind, Question, Test
from training.sessions.models import Registration, RegistrationStatus, Session, Status

BANK_EN = """\
// Synthetic demonstration bank (NeuroDaraja): written for the demo, not a validated examination.
$CATEGORY: Head injury

::demo-gcs-motor:: A patient with a head injury localises to a painful stimulus. What is the motor score of the Glasgow Coma Scale?{
=5 #Localising to pain scores 5.
~6 #6 is obeying commands.
~4 #4 is withdrawal from pain.
~3
}

::demo-cushing:: Hypertension with bradycardia and irregular breathing after a head injury suggests:{
=raised intracranial pressure
~hypovolaemic shock
~a spinal cord injury
}

::demo-lucid-interval:: A lucid interval followed by deterioration is classic for an extradural haematoma.{T}

$CATEGORY: Hydrocephalus

::demo-shunt-infection:: Most ventriculoperitoneal shunt infections appear within six months of surgery.{T}

::demo-hydro-sign:: In an infant, which sign suggests raised pressure from hydrocephalus?{
=a tense, bulging fontanelle
~a sunken fontanelle
~%25%a head circumference on the 50th centile that is rising fast
}
"""

BANK_SW = """\
// Benki ya mfano (NeuroDaraja): imeandikwa kwa maonyesho, si mtihani uliothibitishwa.
::demo-gcs-motor:: Mgonjwa mwenye jeraha la kichwa anaelekeza mkono mahali pa maumivu. Alama ya mwendo ya Glasgow Coma Scale ni ngapi?{
=5
~6
~4
~3
}

::demo-cushing:: Shinikizo la damu kuwa juu, mapigo ya moyo kuwa chini na kupumua kusiko kwa kawaida baada ya jeraha la kichwa huashiria:{
=shinikizo kubwa ndani ya fuvu
~mshtuko kutokana na kupoteza damu
~jeraha la uti wa mgongo
}

::demo-lucid-interval:: Kipindi cha fahamu kurudi kisha hali kuzorota ni dalili ya kawaida ya damu iliyovilia juu ya utando wa ubongo (extradural).{T}

::demo-shunt-infection:: Maambukizi mengi ya shunt ya VP hutokea ndani ya miezi sita baada ya upasuaji.{T}

::demo-hydro-sign:: Kwa mtoto mchanga, dalili ipi inaashiria shinikizo kubwa kutokana na hydrocephalus?{
=utosi uliojaa na kuvimba
~utosi ulioingia ndani
~%25%mzunguko wa kichwa kwenye centile ya 50 unaoongezeka haraka
}
"""

BANK_ZH = """\
// 演示用题库（NeuroDaraja）：为演示编写，并非经过验证的考试。
::demo-gcs-motor:: 一名颅脑外伤患者对疼痛刺激能定位。格拉斯哥昏迷评分的运动评分是多少？{
=5
~6
~4
~3
}

::demo-cushing:: 颅脑外伤后出现高血压、心动过缓和呼吸不规则，提示：{
=颅内压增高
~低血容量性休克
~脊髓损伤
}

::demo-lucid-interval:: 中间清醒期后病情恶化是硬膜外血肿的典型表现。{T}

::demo-shunt-infection:: 大多数脑室腹腔分流感染发生在术后六个月内。{T}

::demo-hydro-sign:: 婴儿出现哪种体征提示脑积水引起的颅内压增高？{
=前囟张力高、膨隆
~前囟凹陷
~%25%头围位于第50百分位但增长很快
}
"""

# Synthetic pre/post choices: which choice (by position) each demo participant picks.
PRE_PICKS = [[1, 1, 0, 1, 1], [0, 0, 1, 0, 2], [0, 1, 0, 0, 1]]
POST_PICKS = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 2], [0, 0, 0, 0, 0]]


def _picks(questions: list[Question], picks: list[int]) -> dict[int, int]:
    return {q.pk: list(q.choices.all())[pick].pk for q, pick in zip(questions, picks, strict=False)}


def _attempts(session: Session, coordinator: User, questions: list[Question]) -> int:
    made = 0
    for kind, picks, at in (
        (Kind.PRE, PRE_PICKS, session.starts_at),
        (Kind.POST, POST_PICKS, session.ends_at),
    ):
        test = Test.objects.create(
            session=session,
            kind=kind,
            opens_at=at - timedelta(hours=1),
            closes_at=at + timedelta(hours=1),
            created_by=coordinator,
        )
        test.questions.set(questions)
        registrations = Registration.objects.filter(session=session, status=RegistrationStatus.REGISTERED)
        for registration, chosen in zip(registrations.order_by("pk"), picks, strict=False):
            answers = _picks(questions, chosen)
            # A past session: its attempts are written as they were then (the submit action only
            # accepts a test while it is open now).
            Attempt.objects.create(
                test=test,
                participant=registration.participant,
                answers={str(q): a for q, a in answers.items()},
                score=actions.score(questions, answers),
                max_score=float(len(questions)),
                submitted_at=at,
            )
            made += 1
    return made


def _open_pre_test(coordinator: User, questions: list[Question]) -> None:
    """The next planned session's pre-test, open from now until the session starts."""
    coming = (
        Session.objects.filter(status=Status.PLANNED, starts_at__gt=timezone.now(), quiz_tests__isnull=True)
        .annotate(people=Count("registrations"))
        .filter(people__gt=0)
        .order_by("starts_at")
        .first()
    )
    if coming is None:
        return
    test = Test.objects.create(
        session=coming,
        kind=Kind.PRE,
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=coming.starts_at,
        created_by=coordinator,
    )
    test.questions.set(questions)


def load_demo() -> str:
    if Question.objects.filter(name="demo-gcs-motor").exists():
        return "Demo question bank already loaded."
    moi = Institution.objects.get(short_code="MOI")
    coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
    with transaction.atomic():
        for language, text in (("en", BANK_EN), ("sw", BANK_SW), ("zh-hans", BANK_ZH)):
            actions.import_gift(coordinator, moi, language, text)
        questions = list(
            Question.objects.filter(name__startswith="demo-").order_by("pk").prefetch_related("choices")
        )
        # The held session with the most participants (the demo's workshop).
        session = (
            Session.objects.filter(status=Status.HELD, quiz_tests__isnull=True)
            .annotate(people=Count("registrations"))
            .order_by("-people", "-starts_at")
            .first()
        )
        made = _attempts(session, coordinator, questions) if session is not None else 0
        _open_pre_test(coordinator, questions)
    return f"{len(questions)} synthetic questions in three languages and {made} synthetic test attempts."
