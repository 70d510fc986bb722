"""The library: resources (a file or an https link) and the trilingual glossary."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from library.search import search_text


class Topic(models.TextChoices):
    TRAUMA = "trauma", _("Head and spine injury")
    HYDROCEPHALUS = "hydrocephalus", _("Hydrocephalus and CSF")
    SPINE = "spine", _("Spine")
    TUMOUR = "tumour", _("Brain and spinal tumours")
    VASCULAR = "vascular", _("Vascular and haemorrhage")
    PAEDIATRIC = "paediatric", _("Paediatric neurosurgery")
    EXAMINATION = "examination", _("Examination and scores")
    PERIOPERATIVE = "perioperative", _("Theatre, anaesthesia and ward care")
    IMAGING = "imaging", _("Imaging")


class ResourceLanguage(models.TextChoices):
    # Each language in its own name, as a reader looks for it (lib.languages.LANGUAGES).
    EN = "en", "English"
    SW = "sw", "Kiswahili"
    ZH_HANS = "zh-hans", "简体中文"


class Resource(models.Model):
    """A protocol, guideline, video or slide deck: a stored file or an https link, with its
    title and description written in the resource's own language."""

    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("Protocol")
        GUIDELINE = "guideline", _("Guideline")
        VIDEO = "video", _("Video")
        SLIDES = "slides", _("Slide deck")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=ResourceLanguage.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, db_index=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(upload_to="library/", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Synthetic demonstration content, shown as such wherever it appears.
    is_demo = models.BooleanField(default=False)
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-added_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(link="") & ~models.Q(file="")) | (~models.Q(link="") & models.Q(file="")),
                name="library_resource_file_or_link",
            )
        ]
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = search_text([self.title, self.description])
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_file(self) -> bool:
        return bool(self.file)


def stored_name(extension: str) -> str:
    # A random name, never the uploaded one (it may say anything).
    return f"{secrets.token_hex(12)}{extension}"


class GlossaryTerm(models.Model):
    """A neurosurgical term as it is said in each country, with a short definition in each
    language. `also_*` holds the other forms clinicians use (an English loan in Kiswahili, an
    abbreviation), separated by semicolons."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, db_index=True)
    term_en = models.CharField(_("term in English"), max_length=120, unique=True)
    term_sw = models.CharField(_("term in Kiswahili"), max_length=120)
    term_zh_hans = models.CharField(_("term in Chinese"), max_length=120)
    also_en = models.CharField(_("also said in English"), max_length=200, blank=True)
    also_sw = models.CharField(_("also said in Kiswahili"), max_length=200, blank=True)
    also_zh_hans = models.CharField(_("also said in Chinese"), max_length=200, blank=True)
    definition_en = models.TextField(_("definition in English"), max_length=600)
    definition_sw = models.TextField(_("definition in Kiswahili"), max_length=600)
    definition_zh_hans = models.TextField(_("definition in Chinese"), max_length=600)
    changed_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["term_en"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self) -> str:
        return self.term_en

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = search_text([*self.names, *self.definitions])
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def names(self) -> list[str]:
        return [
            self.term_en,
            self.term_sw,
            self.term_zh_hans,
            self.also_en,
            self.also_sw,
            self.also_zh_hans,
        ]

    @property
    def definitions(self) -> list[str]:
        return [self.definition_en, self.definition_sw, self.definition_zh_hans]
