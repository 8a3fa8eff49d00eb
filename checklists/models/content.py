"""Checklist content: templates, their numbered versions (draft → published → retired)
and the items of each version, with where each item comes from.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .item_rules import DueIn, ItemFactorRule
from .reference import Bilingual, RiskFactor

INSTRUCTION_MAX_LENGTH = 80
PROMPT_MAX_LENGTH = 60

# Between the names of a list of factors: "、" in Japanese.
LIST_SEPARATOR = _(", ")


class ChecklistTemplateQuerySet(models.QuerySet):
    def proposed_for(self, risk_factor_ids):
        """Templates with a published version and any of the given trigger factors."""
        return (
            self.filter(triggers__in=list(risk_factor_ids), versions__status="published")
            .distinct()
            .order_by("position", "code")
        )

    def for_editor_list(self):
        """Templates in category order, each with its published and draft version and the number
        of patients on the published version and on older ones: one query."""
        versions = TemplateVersion.objects.filter(template=OuterRef("pk"))
        on = Q(versions__patient_checklists__stopped_at__isnull=True)
        categories = ChecklistTemplate.Category.values
        return self.annotate(
            category_order=Case(*[When(category=c, then=Value(i)) for i, c in enumerate(categories)], default=99),
            published_number=Subquery(versions.filter(status="published").values("number")[:1]),
            draft_number=Subquery(versions.filter(status="draft").values("number")[:1]),
            draft_pk=Subquery(versions.filter(status="draft").values("pk")[:1]),
            patients_on_published=Count("versions__patient_checklists", filter=on & Q(versions__status="published")),
            patients_on_older=Count("versions__patient_checklists", filter=on & Q(versions__status="retired")),
        ).order_by("category_order", "position", "code")


class ChecklistTemplate(Bilingual, models.Model):
    """A checklist such as 転倒予防; its wording lives in numbered versions."""

    class Category(models.TextChoices):
        FALL = "fall", _("Fall prevention")
        ASPIRATION = "aspiration", _("Aspiration prevention")
        DELIRIUM = "delirium", _("Delirium prevention")
        DEHYDRATION = "dehydration", _("Dehydration prevention")
        EXPLANATION = "explanation", _("Explanation to patient and family")
        TREATMENT = "treatment", _("Treatment monitoring")
        CONDITION = "condition", _("Condition-specific care")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True, default="")
    description_ja = models.TextField(_("description (Japanese)"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    triggers = models.ManyToManyField(
        RiskFactor,
        verbose_name=_("trigger risk factors"),
        related_name="triggered_templates",
        blank=True,
        help_text=_("A patient with any of these factors gets this checklist proposed."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class TemplateVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def drafts(self):
        return self.filter(status="draft")

    def with_patient_counts(self):
        """``active_patients``: patients whose running checklist is on this version."""
        return self.annotate(
            active_patients=Count("patient_checklists", filter=Q(patient_checklists__stopped_at__isnull=True))
        )

    def with_items(self):
        return self.select_related("template").prefetch_related(
            Prefetch("items", queryset=TemplateItem.objects.with_rules().order_by("position", "id"))
        )


class TemplateVersion(models.Model):
    """A numbered version of a template: draft → published → retired, never back.

    A published version's items never change; editing makes a new draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        # Stored as "retired"; shown as "superseded" (旧版): a newer version took its place. It is
        # not a clinical stop (中止), and patients may still run on it until they are moved.
        RETIRED = "retired", _("Superseded")

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="versions"
    )
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
    # Bumped by every edit of a draft; a save that read an older revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    objects = TemplateVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="version_numbers_unique_per_template"),
            models.UniqueConstraint(
                fields=["template"], condition=Q(status="published"), name="one_published_version_per_template"
            ),
            models.UniqueConstraint(fields=["template"], condition=Q(status="draft"), name="one_draft_per_template"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_versions_have_a_publication_time",
            ),
        ]

    def __str__(self):
        return f"{self.template.name} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class TemplateItemQuerySet(models.QuerySet):
    def unconditional(self):
        """Items with no rule: every patient on the checklist gets them, in every shift."""
        return self.filter(
            factor_rules__isnull=True,
            for_children=True,
            for_adults=True,
            for_older=True,
            from_age__isnull=True,
            due_in=DueIn.ALL,
        )

    def with_rules(self):
        """Items with their factor rules (and the factors): one query more, whatever the number."""
        rules = ItemFactorRule.objects.select_related("risk_factor").order_by("kind", "risk_factor__position")
        return self.prefetch_related(Prefetch("factor_rules", queryset=rules))


class TemplateItem(Bilingual, models.Model):
    """One line of a checklist version, with why it matters and where it comes from."""

    class Frequency(models.TextChoices):
        EVERY_SHIFT = "every_shift", _("Every shift")
        DAILY = "daily", _("Once a day")
        ONCE = "once", _("Once per admission")
        AS_NEEDED = "as_needed", _("As needed")

    class Source(models.TextChoices):
        SEED = "seed", _("Source document")
        INSTITUTION = "institution", _("Added by the institution")
        # A seed passage shows the risk; what to do about it is the institution's.
        RISK = "risk", _("Seed passage for the risk; action added by the institution")

    # The kinds that quote a seed document (and must name it and quote its passage).
    QUOTING = (Source.SEED, Source.RISK)

    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="items"
    )
    # Stable across versions: the diff and moving patients match items by key.
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(_("position"), default=0)
    text_ja = models.TextField(_("text (Japanese)"))
    text_en = models.TextField(_("text (English)"), blank=True, default="")
    # The second wording: what the bedside sheet and the handout print (an instruction, not a log).
    instruction_ja = models.CharField(
        _("bedside instruction (Japanese)"),
        max_length=INSTRUCTION_MAX_LENGTH,
        blank=True,
        default="",
        help_text=_("Short, for a wall or a family, e.g. 「ナースコールは手の届く位置に」."),
    )
    instruction_en = models.CharField(
        _("bedside instruction (English)"), max_length=INSTRUCTION_MAX_LENGTH, blank=True, default=""
    )
    # Set: the nurse may give a per-patient detail for the item (e.g. 「歩行器使用・見守り」).
    detail_prompt_ja = models.CharField(
        _("per-patient detail asked (Japanese)"),
        max_length=PROMPT_MAX_LENGTH,
        blank=True,
        default="",
        help_text=_("Leave empty when the item needs no per-patient detail; e.g. 「歩行補助具と見守り」."),
    )
    detail_prompt_en = models.CharField(
        _("per-patient detail asked (English)"), max_length=PROMPT_MAX_LENGTH, blank=True, default=""
    )
    why_ja = models.TextField(_("why it matters (Japanese)"), blank=True, default="")
    why_en = models.TextField(_("why it matters (English)"), blank=True, default="")
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency, default=Frequency.EVERY_SHIFT)
    is_critical = models.BooleanField(_("critical"), default=False)
    # Who and when the item applies to (models/item_rules.py); the factor rules are rows.
    for_children = models.BooleanField(_("for children (under 15)"), default=True)
    for_adults = models.BooleanField(_("for adults (15 to 69)"), default=True)
    for_older = models.BooleanField(_("for patients aged 70 and over"), default=True)
    from_age = models.PositiveSmallIntegerField(
        _("from age (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for every age; e.g. 6 keeps an item away from toddlers."),
    )
    due_in = models.CharField(_("due in"), max_length=10, choices=DueIn, default=DueIn.ALL)
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.SEED)
    source_document = models.CharField(_("source document"), max_length=200, blank=True, default="")
    source_passage = models.TextField(_("quoted passage"), blank=True, default="")

    objects = TemplateItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="item_keys_unique_per_version"),
            models.CheckConstraint(
                condition=(Q(source__in=["seed", "risk"]) & ~Q(source_document=""))
                | Q(source="institution", source_document="", source_passage=""),
                name="item_provenance_is_a_document_or_the_institution",
                violation_error_message=_("Name the source document, or mark the item as added by the institution."),
            ),
            models.CheckConstraint(
                condition=Q(for_children=True) | Q(for_adults=True) | Q(for_older=True),
                name="an_item_is_for_some_age_band",
                violation_error_message=_("Choose at least one age band the item is for."),
            ),
        ]

    # The fields an admin edits (everything but the version and the position), in form order.
    CONTENT_FIELDS = (
        "key",
        "text_ja",
        "text_en",
        "instruction_ja",
        "instruction_en",
        "detail_prompt_ja",
        "detail_prompt_en",
        "why_ja",
        "why_en",
        "frequency",
        "is_critical",
        "for_children",
        "for_adults",
        "for_older",
        "from_age",
        "due_in",
        "source",
        "source_document",
        "source_passage",
    )

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def instruction(self) -> str:
        """The bedside wording in the user's language; the record wording when none is set."""
        return self.localized("instruction") or self.text

    @property
    def detail_prompt(self) -> str:
        return self.localized("detail_prompt")

    @property
    def asks_detail(self) -> bool:
        return bool(self.detail_prompt_ja or self.detail_prompt_en)

    @property
    def why(self) -> str:
        return self.localized("why")

    @property
    def applies_if_factors(self) -> list[RiskFactor]:
        """The factors of which the patient needs any (none: every patient); from ``with_rules``."""
        return [rule.risk_factor for rule in self.factor_rules.all() if rule.kind == ItemFactorRule.Kind.APPLIES_IF]

    @property
    def unless_factors(self) -> list[RiskFactor]:
        """The factors any of which keeps the item away from the patient; from ``with_rules``."""
        return [rule.risk_factor for rule in self.factor_rules.all() if rule.kind == ItemFactorRule.Kind.UNLESS]

    @property
    def rules_in_words(self) -> list[str]:
        """The item's rules as the editor lists them ("" rules are left out): who and when."""
        names = str(LIST_SEPARATOR).join
        words = []
        if applies_if := self.applies_if_factors:
            words.append(_("only if: %(factors)s") % {"factors": names(f.name for f in applies_if)})
        if unless := self.unless_factors:
            words.append(_("not if: %(factors)s") % {"factors": names(f.name for f in unless)})
        bands = [(self.for_children, _("children")), (self.for_adults, _("adults")), (self.for_older, _("70 and over"))]
        if not all(on for on, _name in bands):
            words.append(_("ages: %(bands)s") % {"bands": " · ".join(str(name) for on, name in bands if on)})
        if self.from_age is not None:
            words.append(_("from age %(age)d") % {"age": self.from_age})
        if self.due_in != DueIn.ALL:
            words.append(str(self.get_due_in_display()))
        return [str(word) for word in words]
