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
// Demonstration data (NeuroDaraja): synthetic teaching questions written for the demo, not a
// validated examination. The right answer is not always the first choice.
$CATEGORY: Demonstration: head injury

::demo-gcs-motor:: A patient with a head injury localises to a painful stimulus. What is the motor score of the Glasgow Coma Scale?{
~6 #6 is obeying commands.
~4 #4 is normal flexion (withdrawal) from pain.
=5 #Localising to pain scores 5.
~3 #3 is abnormal flexion.
}

::demo-cushing:: After a head injury, a patient becomes hypertensive and bradycardic, with irregular breathing. This most likely indicates:{
~hypovolaemic shock
=raised intracranial pressure
~neurogenic shock from a spinal cord injury
}

::demo-lucid-interval:: A lucid interval followed by deterioration is classic for an extradural haematoma.{T}

$CATEGORY: Demonstration: hydrocephalus

::demo-shunt-infection:: Most ventriculoperitoneal shunt infections appear more than a year after surgery.{F}

::demo-hydro-sign:: In an infant with hydrocephalus, which sign suggests raised intracranial pressure?{
~a sunken fontanelle
~a head circumference that keeps growing along the same centile
=a tense, bulging fontanelle
}
"""

BANK_SW = """\
// Data za maonyesho (NeuroDaraja): maswali ya kufundishia yaliyoandikwa kwa ajili ya maonyesho,
// si mtihani uliothibitishwa.
::demo-gcs-motor:: Mgonjwa mwenye jeraha la kichwa anapeleka mkono mahali anapoumizwa (localises to pain). Alama ya mwendo (motor) ya Glasgow Coma Scale ni ngapi?{
~6
~4
=5
~3
}

::demo-cushing:: Baada ya jeraha la kichwa, mgonjwa anapata shinikizo la damu la juu, mapigo ya moyo ya chini na kupumua kusiko kwa kawaida. Hali hii kwa uwezekano mkubwa inaashiria:{
~mshtuko kutokana na kupoteza damu (hypovolaemic shock)
=shinikizo kubwa ndani ya fuvu (raised ICP)
~mshtuko wa neva (neurogenic shock) kutokana na jeraha la uti wa mgongo
}

::demo-lucid-interval:: Mgonjwa kupata fahamu kwa muda (lucid interval) kisha hali yake kuzorota ni dalili ya kawaida ya damu iliyovuja kati ya fuvu na utando mgumu wa ubongo (extradural haematoma).{T}

::demo-shunt-infection:: Maambukizi mengi ya shunt ya VP hutokea zaidi ya mwaka mmoja baada ya upasuaji.{F}

::demo-hydro-sign:: Kwa mtoto mchanga mwenye hydrocephalus, dalili ipi inaashiria shinikizo kubwa ndani ya fuvu?{
~utosi ulioingia ndani
~mzunguko wa kichwa unaoendelea kukua kwenye centile ileile
=utosi uliojaa na kuvimba
}
"""

BANK_ZH = """\
// 演示数据（NeuroDaraja）：为演示编写的教学题目，并非经过验证的考试。
::demo-gcs-motor:: 一名颅脑外伤患者对疼痛刺激能定位。格拉斯哥昏迷评分（GCS）的运动评分是多少？{
~6
~4
=5
~3
}

::demo-cushing:: 颅脑外伤后患者出现血压升高、心动过缓和呼吸不规则，最可能提示：{
~低血容量性休克
=颅内压增高
~脊髓损伤所致的神经源性休克
}

::demo-lucid-interval:: 中间清醒期后病情恶化是硬膜外血肿的典型表现。{T}

::demo-shunt-infection:: 大多数脑室腹腔分流感染发生在手术一年以后。{F}

::demo-hydro-sign:: 脑积水婴儿出现哪种体征提示颅内压增高？{
~前囟凹陷
~头围沿同一百分位线持续增长
=前囟张力高、膨隆
}
"""

# Synthetic pre/post answers of each demo participant, one letter a question: R the right
# choice, W its first wrong one (by identity, whatever order the participant was shown).
PRE_PICKS = ["WWRWW", "RRWRW", "RWRRR"]
POST_PICKS = ["RRRRR", "RRRRW", "RRRRR"]


def _picks(questions: list[Question], picks: str) -> dict[int, int]:
    chosen = {}
    for question, pick in zip(questions, picks, strict=False):
        choices = list(question.choices.all())
        right = pick == "R"
        chosen[question.pk] = next(c.pk for c in choices if c.is_right == right)
    return chosen


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
