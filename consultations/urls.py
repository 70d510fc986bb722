from django.urls import path

from consultations.views import cases, conferences, lists, roster

app_name = "consultations"

urlpatterns = [
    path("consultations/", lists.inbox, name="inbox"),
    path("consultations/new/", cases.new_case, name="new"),
    path("consultations/board/", lists.board, name="board"),
    path("consultations/on-call/", roster.on_call, name="on_call"),
    path("consultations/on-call/<int:shift_id>/edit/", roster.edit_shift, name="edit_shift"),
    path("consultations/on-call/<int:shift_id>/remove/", roster.remove_shift, name="remove_shift"),
    path("conferences/", conferences.conference_list, name="conferences"),
    path("conferences/new/", conferences.conference_new, name="conference_new"),
    path("conferences/<int:conference_id>/", conferences.conference_detail, name="conference"),
    path(
        "conferences/<int:conference_id>/cases/", conferences.conference_add_case, name="conference_add_case"
    ),
    path("conferences/<int:conference_id>/invite/", conferences.conference_invite, name="conference_invite"),
    path(
        "conferences/<int:conference_id>/participants/<int:person_id>/withdraw/",
        conferences.conference_withdraw,
        name="conference_withdraw",
    ),
    path(
        "conferences/<int:conference_id>/attendance/",
        conferences.conference_attendance,
        name="conference_attendance",
    ),
    path(
        "conferences/<int:conference_id>/cases/<int:item_id>/remove/",
        conferences.conference_remove_case,
        name="conference_remove_case",
    ),
    path(
        "conferences/<int:conference_id>/cases/<int:item_id>/summary/",
        conferences.conference_summary,
        name="conference_summary",
    ),
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
    path("consultations/<str:code>/attach/", cases.attach, name="attach"),
    path("consultations/<str:code>/files/<int:attachment_id>/", cases.attachment, name="attachment"),
    path("consultations/<str:code>/letter.pdf", cases.advice_letter, name="letter"),
    path("consultations/<str:code>/fhir.json", cases.fhir_bundle, name="fhir"),
]
