"""The question bank's and the tests' pages: thin; the rules are in training.quizzes.actions, who
sees what in training.quizzes.access."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.models import User
from core.errors import ActionError, FieldErrors
from training.quizzes import access, actions, choosing
from training.quizzes.forms import BankFilter, ImportForm, QuestionForm, TakeForm, TestForm
from training.quizzes.importing import preview
from training.quizzes.models import LANGUAGES, Attempt, Kind, Question, Test, suffix
from training.quizzes.results import results

BANK_PAGE = 100


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _show_errors(form: forms.Form, refused: FieldErrors) -> None:
    for error in refused.errors:
        name = error.get("field")
        form.add_error(name if name in form.fields else None, error["message"])


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_bank(user)
    questions = Question.objects.select_related("institution").order_by("topic", "name")[:BANK_PAGE]
    mine = {i.pk for i in access.coordinated(user)}
    return render(
        request,
        "training_quizzes/bank.html",
        {"questions": questions, "mine": mine, "total": Question.objects.count(), "shown": BANK_PAGE},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_gift(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_bank(user)
    institutions = access.coordinated(user)
    form = ImportForm(institutions, request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "yes" and not data.get("file"):
            try:
                done = actions.import_gift(
                    user, data["institution"], data["language"], data["text"], request=request
                )
            except actions.ImportRefused as refused:
                result = refused.preview
            except FieldErrors as refused:
                _show_errors(form, refused)
            else:
                added = ngettext("%(count)s question added.", "%(count)s questions added.", done.created)
                translated = ngettext(
                    "%(count)s question given this language.",
                    "%(count)s questions given this language.",
                    done.translated,
                )
                messages.success(
                    request, f"{added % {'count': done.created}} {translated % {'count': done.translated}}"
                )
                return HttpResponseRedirect(reverse("training_quizzes:bank"))
        else:
            result = preview(data["text"], suffix(data["language"]), data["institution"])
            # The preview carries the text, so "Save" sends exactly what was checked.
            form = ImportForm(
                institutions,
                initial={
                    "institution": data["institution"].pk,
                    "language": data["language"],
                    "text": data["text"],
                },
            )
    return render(request, "training_quizzes/import.html", {"form": form, "preview": result})


@login_required
@require_http_methods(["GET", "POST"])
def edit_question(request: HttpRequest, question_id: int) -> HttpResponse:
    user = _user(request)
    question = access.get_question_to_edit(user, question_id)
    form = QuestionForm(question, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = actions.QuestionData(
            topic=data["topic"],
            texts={code: data[f"text_{code}"] for code in LANGUAGES},
            choices={
                pk: ({code: data[f"choice_{pk}_{code}"] for code in LANGUAGES}, data[f"choice_{pk}_weight"])
                for pk, _names in form.choice_rows
            },
        )
        try:
            actions.edit_question(user, question, fields, request=request)
        except FieldErrors as refused:
            _show_errors(form, refused)
        else:
            messages.success(request, _("Question saved."))
            return HttpResponseRedirect(reverse("training_quizzes:bank"))
    return render(request, "training_quizzes/question_form.html", {"form": form, "question": question})


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()][: 2 * actions.MAX_QUESTIONS_PER_TEST]


@login_required
@require_http_methods(["GET", "POST"])
def set_test(request: HttpRequest, session_id: int, kind: str) -> HttpResponse:
    """The chosen questions first, then one page of the bank (filtered): the search and the page
    buttons send the same form back without saving it, so the questions ticked and the times
    typed stay as they were."""
    user = _user(request)
    session = access.get_session_to_manage(user, session_id)
    kind = access.kind_of(kind)
    test = Test.objects.filter(session=session, kind=kind).first()
    topics = choosing.topics()
    browsing = request.method == "POST" and ("show" in request.POST or "page" in request.POST)
    if request.method == "POST":
        picked = _ids(request.POST.getlist("questions"))
        filters = BankFilter(topics, request.POST)
    else:
        picked = list(test.questions.values_list("pk", flat=True)) if test else []
        filters = BankFilter(topics, request.GET)
    if request.method == "POST" and not browsing:
        form = TestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.set_test(
                    user,
                    session,
                    kind,
                    list(data["questions"]),
                    data["opens_at"],
                    data["closes_at"],
                    request=request,
                )
            except FieldErrors as refused:
                _show_errors(form, refused)
            except ActionError as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(request, _("Test saved."))
                return HttpResponseRedirect(reverse("training_quizzes:results", args=[session.pk]))
    elif browsing:
        form = TestForm(initial={name: request.POST.get(name, "") for name in ("opens_at", "closes_at")})
    elif test:
        form = TestForm(initial={"opens_at": test.opens_at, "closes_at": test.closes_at})
    else:
        form = TestForm(initial={"opens_at": session.starts_at if kind == Kind.PRE else session.ends_at})
    chosen = choosing.chosen(picked)
    topic, language, words, page = filters.read()
    found = choosing.find(topic, language, words, page, [q.pk for q in chosen])
    return render(
        request,
        "training_quizzes/test_form.html",
        {
            "form": form,
            "filters": filters,
            "chosen": chosen,
            "found": found,
            "session": session,
            "kind_label": Kind(kind).label,
            "taken": test and test.attempts.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, session_id: int, kind: str) -> HttpResponse:
    user = _user(request)
    test = access.get_test_to_take(user, session_id, kind)
    attempt = Attempt.objects.filter(test=test, participant=user).first()
    form = TakeForm(actions.paper(test, user), request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            attempt = actions.submit(user, test, form.answers(), request=request)
        except FieldErrors as refused:
            _show_errors(form, refused)
        except ActionError as refused:
            # Refused (sent already, closed, not open yet, cancelled): said once, the form not offered again.
            refusal = str(refused.message)
            attempt = Attempt.objects.filter(test=test, participant=user).first()
        else:
            messages.success(
                request,
                _("Your answers are recorded: %(score)s of %(maximum)s.")
                % {"score": f"{attempt.score:g}", "maximum": f"{attempt.max_score:g}"},
            )
            return HttpResponseRedirect(reverse("training_quizzes:take", args=[session_id, kind]))
    context = {
        "test": test,
        "session": test.session,
        "form": form,
        "attempt": attempt,
        "refusal": refusal,
        "not_open": "" if attempt or refusal else actions.not_open_now(test),
        "kind_label": Kind(test.kind).label,
    }
    return render(request, "training_quizzes/take.html", context, status=409 if refusal else 200)


@login_required
def session_results(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    seen = access.get_session(user, session_id)
    tests = {test.kind: test for test in Test.objects.filter(session=seen.session)}
    read = results(seen.session, only=None if seen.reads_all_results else user)
    mine = (
        {a.test_id: a for a in Attempt.objects.filter(test__session=seen.session, participant=user)}
        if seen.takes_part
        else {}
    )
    listed = []
    for kind in Kind:
        test = tests.get(kind)
        if test is not None:
            test.session = seen.session  # already read: no query a test
        state = actions.standing(test, mine.get(test.pk)) if test and seen.takes_part else ""
        listed.append({"kind": kind.value, "label": kind.label, "test": test, "state": state})
    context = {"seen": seen, "session": seen.session, "results": read, "tests": listed}
    return render(request, "training_quizzes/results.html", context)
