"""Structured risk assessments as versioned content: a scale (Morse Fall Scale, the delirium
screen after 別紙様式7の3, the swallowing screen result, or one an admin adds) with numbered
versions that go draft → published → retired and never change once published; each version's
questions, their options (points, and the risk factor an option notes) and its result bands.
Each ward may set its own band cut-offs and how often a scale is due (``WardScaleSetting``).

What nurses record lives in ``assessment_records``; this module imports no stay.
"""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import Bilingual, RiskFactor, Ward


class ScaleQuerySet(models.QuerySet):
    def with_published_version(self):
        """Scales that have a published version, each with it (``published``, a one-item list)
        and its questions, options and bands prefetched."""
        return (
            self.filter(versions__status="published")
            .distinct()
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=ScaleVersion.objects.published().with_content(),
                    to_attr="published",
                )
            )
            .order_by("position", "code")
        )

    def for_editor_list(self):
        return self.prefetch_related(
            Prefetch("versions", queryset=ScaleVersion.objects.exclude(status="retired"), to_attr="current_versions")
        ).order_by("position", "code")


class Scale(Bilingual, models.Model):
    """An assessment such as the Morse Fall Scale; its questions live in numbered versions."""

    class Licence(models.TextChoices):
        PUBLIC_DOMAIN = "public_domain", _("Public domain")
        INSTITUTION_FORM = "institution_form", _("The institution's form, after an official form")
        INSTITUTION = "institution", _("Made by the institution")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True, default="")
    # What the board shows before the band: 転倒 (高).
    short_name_ja = models.CharField(_("short name (Japanese)"), max_length=20)
    short_name_en = models.CharField(_("short name (English)"), max_length=20, blank=True, default="")
    description_ja = models.TextField(_("description (Japanese)"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    licence = models.CharField(_("licence"), max_length=20, choices=Licence, default=Licence.INSTITUTION)
    provenance_ja = models.TextField(_("provenance (Japanese)"), blank=True, default="")
    provenance_en = models.TextField(_("provenance (English)"), blank=True, default="")
    # The editor says the institution must check the form against the current official notice.
    check_against_notice = models.BooleanField(_("check against the current notice"), default=False)
    # MFS is not validated for children: no band is shown for a child, and it is never due.
    adults_only = models.BooleanField(_("adults only"), default=False)
    # Defaults for wards without their own setting.
    due_within_days = models.PositiveSmallIntegerField(
        _("due within days of admission"),
        default=1,
        help_text=_("The day of admission is day 1: 3 means by the end of the third day."),
    )
    reassess_every_days = models.PositiveSmallIntegerField(
        _("reassess every days"), null=True, blank=True, help_text=_("Empty: no scheduled reassessment.")
    )
    after_transfer = models.BooleanField(_("due again after a transfer"), default=True)
    after_fall = models.BooleanField(_("due again after a fall"), default=False)
    after_condition_change = models.BooleanField(_("due again after a changed condition"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = ScaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment scale")
        verbose_name_plural = _("assessment scales")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def short_name(self) -> str:
        return self.localized("short_name")

    @property
    def provenance(self) -> str:
        return self.localized("provenance")


class ScaleVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def with_content(self):
        options = ScaleOption.objects.select_related("notes_factor").order_by("position", "id")
        return self.select_related("scale").prefetch_related(
            Prefetch(
                "questions",
                queryset=ScaleQuestion.objects.order_by("position", "id").prefetch_related(
                    Prefetch(
                        "options",
                        queryset=options,
                    )
                ),
            ),
            Prefetch("bands", queryset=ScaleBand.objects.select_related("notes_factor").order_by("min_total", "id")),
        )


class ScaleVersion(models.Model):
    """A numbered version of a scale: draft → published → retired, never back. A published
    version's questions, options and bands never change (PostgreSQL refuses it too)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Superseded")

    scale = models.ForeignKey(Scale, verbose_name=_("scale"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    change_note = models.TextField(_("change note"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    retired_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = ScaleVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("scale version")
        verbose_name_plural = _("scale versions")
        ordering = ["scale", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "number"], name="scale_version_numbers_unique"),
            models.UniqueConstraint(
                fields=["scale"], condition=Q(status="published"), name="one_published_version_per_scale"
            ),
            models.UniqueConstraint(fields=["scale"], condition=Q(status="draft"), name="one_draft_per_scale"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_scale_versions_have_a_publication_time",
            ),
        ]

    def __str__(self):
        return f"{self.scale.name} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ScaleQuestion(Bilingual, models.Model):
    version = models.ForeignKey(
        ScaleVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(_("position"), default=0)
    text_ja = models.TextField(_("question (Japanese)"))
    text_en = models.TextField(_("question (English)"), blank=True, default="")

    class Meta:
        verbose_name = _("scale question")
        verbose_name_plural = _("scale questions")
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="question_keys_unique_per_version")]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.localized("text")


class ScaleOption(Bilingual, models.Model):
    """One answer to a question, with its points; choosing it may note a risk factor on the stay
    (the admin's rule: e.g. MWST grade ≤ 3 notes 嚥下スクリーニング異常)."""

    question = models.ForeignKey(
        ScaleQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(_("position"), default=0)
    label_ja = models.CharField(_("answer (Japanese)"), max_length=200)
    label_en = models.CharField(_("answer (English)"), max_length=200, blank=True, default="")
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    notes_factor = models.ForeignKey(
        RiskFactor,
        verbose_name=_("notes the risk factor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="option_keys_unique_per_question")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.localized("label")


class ScaleBand(Bilingual, models.Model):
    """A result band from ``min_total`` up to the next band's minimum. Wards may move the
    cut-offs (``WardBandCutoff``); the band's key and what it notes stay the version's."""

    version = models.ForeignKey(ScaleVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="bands")
    key = models.SlugField(_("key"), max_length=40)
    name_ja = models.CharField(_("name (Japanese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40, blank=True, default="")
    min_total = models.PositiveSmallIntegerField(_("from total"), default=0)
    is_high_risk = models.BooleanField(_("high risk"), default=False)
    notes_factor = models.ForeignKey(
        RiskFactor,
        verbose_name=_("notes the risk factor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("result band")
        verbose_name_plural = _("result bands")
        ordering = ["version", "min_total", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="band_keys_unique_per_version")]

    def __str__(self):
        return self.name


class WardScaleSettingQuerySet(models.QuerySet):
    def for_wards(self, ward_ids):
        return self.filter(ward_id__in=list(ward_ids)).prefetch_related("cutoffs")


class WardScaleSetting(models.Model):
    """A ward's own timing and band cut-offs for a scale (absent: the scale's defaults)."""

    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="scale_settings")
    scale = models.ForeignKey(Scale, verbose_name=_("scale"), on_delete=models.PROTECT, related_name="ward_settings")
    due_within_days = models.PositiveSmallIntegerField(_("due within days of admission"))
    reassess_every_days = models.PositiveSmallIntegerField(_("reassess every days"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = WardScaleSettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ward's scale setting")
        verbose_name_plural = _("wards' scale settings")
        constraints = [
            models.UniqueConstraint(fields=["ward", "scale"], name="one_scale_setting_per_ward"),
            models.CheckConstraint(condition=Q(due_within_days__gte=1), name="a_scale_is_due_from_day_one"),
        ]

    def __str__(self):
        return f"{self.ward}: {self.scale}"

    def cutoff_by_band_key(self) -> dict[str, int]:
        return {cutoff.band_key: cutoff.min_total for cutoff in self.cutoffs.all()}


class WardBandCutoff(models.Model):
    setting = models.ForeignKey(
        WardScaleSetting, verbose_name=_("setting"), on_delete=models.CASCADE, related_name="cutoffs"
    )
    band_key = models.SlugField(_("band"), max_length=40)
    min_total = models.PositiveSmallIntegerField(_("from total"))

    class Meta:
        verbose_name = _("ward's band cut-off")
        verbose_name_plural = _("wards' band cut-offs")
        constraints = [models.UniqueConstraint(fields=["setting", "band_key"], name="one_cutoff_per_band_and_ward")]

    def __str__(self):
        return f"{self.band_key} ≥ {self.min_total}"
