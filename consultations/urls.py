from django.urls import path

from consultations.views import cases, lists, roster

app_name = "consultations"

urlpatterns = [
    path("consultations/", lists.inbox, name="inbox"),
    path("consultations/new/", cases.new_case, name="new"),
    path("consultations/board/", lists.board, name="board"),
    path("consultations/on-call/", roster.on_call, name="on_call"),
    path("consultations/on-call/<int:shift_id>/remove/", roster.remove_shift, name="remove_shift"),
    path("consultations/<str:code>/", cases.case_detail, name="case"),
    path("consultations/<str:code>/edit/", cases.edit_case, name="edit"),
    path("consultations/<str:code>/consent/", cases.consent, name="consent"),
    path("consultations/<str:code>/send/", cases.send, name="send"),
    path("consultations/<str:code>/acknowledge/", cases.acknowledge, name="acknowledge"),
    path("consultations/<str:code>/opinion/", cases.opinion, name="opinion"),
    path("consultations/<str:code>/messages/", cases.post_message, name="message"),
    path("consultations/<str:code>/outcome/", cases.outcome, name="outcome"),
    path("consultations/<str:code>/assign/", cases.assign, name="assign"),
    path("consultations/<str:code>/close/", cases.close, name="close"),
]
