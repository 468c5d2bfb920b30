"""The HTCDS 2.0 mapping, as data: every core field, the Aftercare field it travels to and
from, each picklist's values both ways, and the fields Aftercare does not hold, with why.

Everything else in this app reads these tables: the export writes `CASE_FIELDS` (then the
`SUPPORT_PLAN_FIELDS` and `EVENT_FIELDS` sheets), the import and the field-capture endpoints
read them, and `aftercare htcds-doc` writes docs/HTCDS.md from them. Change a row here and
all four follow; the test of the doc says when docs/HTCDS.md is out of step.

Sources (aftercare/interop/standard/ and the standard's repository): the field reference (`org_`,
`prs_`, `vic_`, `per_`, `hte_`, `cas_`), the 2.0 XLSForm (`con_Consent`, the trafficking
status, the 2.0 picklists), the Salesforce toolkit (`spl_`, `cco_`). Columns named `aft_`
are Aftercare's own: they carry what HTCDS has no field for, so that an export read back
into Aftercare gives the same cases; other systems may ignore them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from aftercare.accounts.models import OrganisationKind
from aftercare.cases.models import (
    CaseStatus,
    ClosureReason,
    ExploitationType,
    Gender,
    GoalStatus,
    IdentifiedBy,
    MeansOfControl,
    RecruiterRelation,
    TraffickingEventType,
)
from aftercare.network.taxonomy import ServiceDomain

STANDARD = "HTCDS 2.0"
SEPARATOR = (
    ";"  # between the values of a multi-valued cell, as in the standard's multi-select template
)


def norm(text: str) -> str:
    """A value or a header, compared without case, spaces or punctuation ("DebtBondage " = "Debt
    bondage")."""
    return re.sub(r"[\W_]+", "", str(text).casefold())


@dataclass(frozen=True)
class Picklist:
    """How an Aftercare code list and an HTCDS picklist meet.

    `pairs`: (Aftercare code, HTCDS value) written on export, one per Aftercare code.
    `also_read`: further HTCDS values (other versions, the XLSForm's spellings) read on import.
    Where several Aftercare codes share one HTCDS value, `refine` names the `aft_` column
    that carries the exact codes.
    """

    name: str
    pairs: tuple[tuple[str, str], ...]
    also_read: tuple[tuple[str, str], ...] = ()
    refine: str = ""
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def _export(self) -> dict[str, str]:
        return dict(self.pairs)

    @cached_property
    def _import(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for code, value in (
            *self.pairs,
            *self.also_read,
        ):  # a value shared by several codes reads as the first
            table.setdefault(norm(value), code)
        for value, label in self.labels.items():
            if norm(value) in table:
                table.setdefault(norm(label), table[norm(value)])
        return table

    def to_htcds(self, code: str) -> str:
        return self._export[code]

    def from_htcds(self, value: str) -> str | None:
        return self._import.get(norm(value))

    @property
    def htcds_values(self) -> list[str]:
        """The standard's values this picklist knows, in the order written."""
        seen: dict[str, None] = {}
        for _code, value in (*self.pairs, *self.also_read):
            seen.setdefault(value, None)
        return list(seen)

    def ambiguous(self, code: str) -> bool:
        """Whether the HTCDS value of `code` is shared with another Aftercare code."""
        value = self._export[code]
        return sum(1 for _c, v in self.pairs if v == value) > 1


def own_codes(name: str, choices) -> Picklist:
    """An `aft_` column: Aftercare's codes, written as they are (their English labels read too)."""
    return Picklist(
        name,
        tuple((code, code) for code in choices.values),
        labels={code: str(label) for code, label in choices.choices},
    )


GENDER = Picklist(
    "Gender",
    (
        (Gender.WOMAN, "Feminine"),
        (Gender.MAN, "Masculine"),
        (Gender.TRANSGENDER, "NonConforming"),
        (Gender.UNKNOWN, "NonSpecifiedUnknown"),
    ),
    also_read=(
        (Gender.TRANSGENDER, "TransgenderFeminine"),
        (Gender.TRANSGENDER, "TransgenderMasculine"),
        (Gender.WOMAN, "Female"),
        (Gender.MAN, "Male"),
        (Gender.TRANSGENDER, "Transgender/NonConforming"),
        (Gender.UNKNOWN, "Unknown"),
    ),
    labels={
        "NonSpecifiedUnknown": "Not Specified/Unknown",
        "NonConforming": "Non-Conforming",
        "TransgenderFeminine": "Transgender Feminine",
        "TransgenderMasculine": "Transgender Masculine",
    },
)

EXPLOITATION = Picklist(
    "TypeOfExploitation",
    (
        (ExploitationType.LABOUR, "ForcedLabour"),
        (ExploitationType.SEXUAL, "SexualExploitation"),
        (ExploitationType.FORCED_MARRIAGE, "ForcedMarriage"),
        (ExploitationType.DOMESTIC_SERVITUDE, "Servitude"),
        (ExploitationType.ORGAN_REMOVAL, "OrganRemoval"),
        (ExploitationType.OTHER, "Other"),
        (ExploitationType.CRIMINAL, "Other"),
    ),
    # HTCDS types Aftercare folds into its own: child labour and begging are forced labour to it.
    also_read=(
        (ExploitationType.LABOUR, "ChildLabour"),
        (ExploitationType.LABOUR, "ForcedBegging"),
        (ExploitationType.OTHER, "ForcedMilitaryByNonStateActors"),
        (ExploitationType.OTHER, "ForcedAdoption"),
        (ExploitationType.OTHER, "Surrogacy"),
    ),
    refine="aft_ExploitationTypes",
    labels={
        "ForcedLabour": "Forced labour",
        "SexualExploitation": "Sexual exploitation",
        "ChildLabour": "Child labour",
        "ForcedMarriage": "Forced marriage",
        "ForcedMilitaryByNonStateActors": "Forced military (by non-state actors)",
        "OrganRemoval": "Organ removal",
        "ForcedBegging": "Forced begging",
        "ForcedAdoption": "Forced adoption",
    },
)

METHODS_OF_CONTROL = Picklist(
    "MethodsOfControl",
    (
        (MeansOfControl.DEBT_BONDAGE, "DebtBondage"),
        (MeansOfControl.TAKES_EARNINGS, "TakesEarnings"),
        (MeansOfControl.THREATS, "Threats"),
        (MeansOfControl.PHYSICAL_VIOLENCE, "PhysicalAbuse"),
        (MeansOfControl.SEXUAL_VIOLENCE, "SexualAbuse"),
        (MeansOfControl.FALSE_PROMISES, "FalsePromises"),
        (MeansOfControl.PSYCHOACTIVE_SUBSTANCES, "PsychoactiveSubstances"),
        (MeansOfControl.RESTRICTS_MOVEMENT, "RestrictsMovement"),
        (MeansOfControl.EXCESSIVE_WORKING_HOURS, "ExcessiveWorkingHours"),
        (MeansOfControl.WITHHOLDS_NECESSITIES, "WithholdsNecessities"),
        (MeansOfControl.WITHHOLDS_DOCUMENTS, "WithholdsDocuments"),
        (MeansOfControl.THREATS_TO_FAMILY, "ThreatensChildrenFamily"),
        (MeansOfControl.OTHER, "Other"),
    ),
    # The field reference's values Aftercare has no code for, and the XLSForm's spellings.
    also_read=(
        (MeansOfControl.OTHER, "RestrictsFinancialAccess"),
        (MeansOfControl.OTHER, "PsychologicalAbuse"),
        (MeansOfControl.OTHER, "RestrictsMedicalCare"),
        (MeansOfControl.THREATS_TO_FAMILY, "UsesChildren"),
        (MeansOfControl.THREATS, "ThreatOfLawEnforcement"),
        (MeansOfControl.THREATS, "ThreatsLawEnforcement"),
        (MeansOfControl.THREATS, "PhysicalThreats"),
        (MeansOfControl.PSYCHOACTIVE_SUBSTANCES, "PsychoactiveSubstance"),
    ),
    labels={
        "ThreatensChildrenFamily": "Threatens children/family",
        "ThreatsLawEnforcement": "Threats of law enforcement",
        "PhysicalThreats": "Physical threats",
    },
)

CASE_STATUS = Picklist(
    "Status",
    (
        (CaseStatus.ACTIVE, "Active"),
        (CaseStatus.INTAKE, "Active"),
        (CaseStatus.STABLE, "FollowUp"),
        (CaseStatus.CLOSED, "Closed"),
    ),
    also_read=((CaseStatus.CLOSED, "ClosedReferred"),),
    refine="aft_Status",
    labels={"FollowUp": "Follow Up", "ClosedReferred": "Closed Referred"},
)

CLOSURE_REASON = own_codes("ReasonForCaseClosure", ClosureReason)

# The standard's own lists, held as the standard writes them (interop.models.HtcdsDetails).
INDUSTRIES = (
    ("A_AgricultureForestryAndFishing", "Agriculture, forestry and fishing"),
    ("B_MiningAndQuarrying", "Mining and quarrying"),
    ("C_Manufacturing", "Manufacturing"),
    (
        "D_ElectricityGasSteamAndAirConditioningSupply",
        "Electricity, gas, steam and air conditioning supply",
    ),
    (
        "E_WaterSupplySewerageWasteManagement",
        "Water supply; sewerage, waste management and remediation",
    ),
    ("F_Construction", "Construction"),
    (
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    ("H_TransportationAndStorage", "Transportation and storage"),
    ("I_AccommodationAndFoodServiceActivities", "Accommodation and food service activities"),
    ("J_InformationAndCommunication", "Information and communication"),
    ("K_FinancialAndInsuranceActivities", "Financial and insurance activities"),
    ("L_RealEstateActivities", "Real estate activities"),
    (
        "M_ProfessionalScientificAndTechnicalActivities",
        "Professional, scientific and technical activities",
    ),
    (
        "N_AdministrativeAndSupportServiceActivities",
        "Administrative and support service activities",
    ),
    (
        "O_PublicAdministrationAndDefence",
        "Public administration and defence; compulsory social security",
    ),
    ("P_Education", "Education"),
    ("Q_HumanHealthAndSocialWorkActivities", "Human health and social work activities"),
    ("R_ArtsEntertainmentAndRecreation", "Arts, entertainment and recreation"),
    ("S_OtherServiceActivities", "Other service activities"),
    (
        "T_ActivitiesOfHouseholdsAsEmployers",
        "Activities of households as employers; undifferentiated goods- and services- "
        "producing activities of households for own use",
    ),
    (
        "U_ActivitiesOfExtraterritorialOrganizations",
        "Activities of extraterritorial organizations and bodies",
    ),
)
FORCED_LABOUR_INDUSTRY = Picklist(
    "ForcedLabourIndustry",
    tuple((value, value) for value, _label in INDUSTRIES),
    labels=dict(INDUSTRIES),
)
SEX_EXPLOITATION = Picklist(
    "TypeOfSexExploitation",
    tuple(
        (value, value)
        for value in (
            "Prostitution",
            "Pornography",
            "RemoteInteractiveServices",
            "PrivateSexualServices",
        )
    ),
    labels={
        "RemoteInteractiveServices": "Remote Interactive Services",
        "PrivateSexualServices": "Private Sexual Services",
    },
)
# The standard's gender values Aftercare's gender folds into NonConforming: held, and written back.
TRANSGENDER_VALUES = ("TransgenderFeminine", "TransgenderMasculine")

CONSENT = Picklist(
    "Consent",
    (("true", "TRUE"), ("false", "FALSE")),
    also_read=(
        ("true", "Yes"),
        ("false", "No"),
        ("true", "1"),
        ("false", "0"),
        ("true", "Y"),
        ("false", "N"),
    ),
)

ORGANISATION_TYPE = Picklist(
    "OrganisationType",
    (
        (OrganisationKind.NGO, "NGO"),
        (OrganisationKind.SHELTER, "NGO"),
        (OrganisationKind.NETWORK, "NGO"),
        (OrganisationKind.GOVERNMENT, "CentralGovernmentOrganisation"),
        (OrganisationKind.SCHOOL, "LocalGovernmentOrganisation"),
        (OrganisationKind.HOSPITAL, "HealthServiceOrganisation"),
        (OrganisationKind.POLICE, "LawEnforcement"),
        (OrganisationKind.PROSECUTOR, "LawEnforcement"),
        (OrganisationKind.EMPLOYER, "CorporateBusiness"),
        (OrganisationKind.SOCIAL_ENTERPRISE, "CorporateBusiness"),
    ),
)

REFERRAL_REASON = Picklist("ReasonForReferral", (("services", "AdditionalServicesRequired"),))

SUPPORT_PLAN_TYPE = own_codes("SupportPlanType", ServiceDomain)
GOAL_STATUS = own_codes("GoalStatus", GoalStatus)
IDENTIFIED_BY = own_codes("IdentifiedBy", IdentifiedBy)
RECRUITER_RELATION = own_codes("RecruiterRelation", RecruiterRelation)
CASE_STATUS_EXACT = own_codes("Status", CaseStatus)
EXPLOITATION_EXACT = own_codes("ExploitationTypes", ExploitationType)

EVENT_TYPE = Picklist(
    "HistoricTraffickingEventType",
    (
        (TraffickingEventType.RECRUITMENT, "Recruitment"),
        (TraffickingEventType.TRANSIT, "Transit"),
        (TraffickingEventType.EXPLOITATION, "Exploitation"),
    ),
)


@dataclass(frozen=True)
class Field:
    """One HTCDS field (or `aft_` column) that Aftercare reads or writes.

    `aftercare`: where it lives, for the doc. `attr`: a Survivor attribute copied as it is
    (text, dates, countries, lists of codes), when the conversion needs no rule of its own.
    `section`: the part of a case (`cases.access.Section`) the caller must see for it
    to be exported. `direction`: both, export (written, not read back) or import (read only).
    `held`: the field of `interop.models.HtcdsDetails` that holds what Aftercare's case has no
    field for.
    """

    name: str
    label: str
    aftercare: str
    kind: str = "text"  # text | date | year | bool | country | picklist | multi | languages
    picklist: Picklist | None = None
    attr: str = ""
    section: str = ""
    direction: str = "both"
    aliases: tuple[str, ...] = ()
    note: str = ""
    held: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.label, *self.aliases)


F = Field
CASE_FIELDS: tuple[Field, ...] = (
    F(
        "org_Name",
        "Organisation Name",
        "Organisation.name (the organisation holding the case)",
        direction="export",
        note="On import the cases go to the importing organisation.",
    ),
    F("org_Type", "Type", "Organisation.kind", "picklist", ORGANISATION_TYPE, direction="export"),
    F(
        "org_ShippingCountry",
        "Shipping Country",
        "Organisation.country",
        "country",
        direction="export",
    ),
    F(
        "org_Phone",
        "Phone",
        "Organisation.public_phone",
        direction="export",
        note="The public number only; restricted contacts never leave Aftercare.",
    ),
    F(
        "prs_FirstName",
        "First Name",
        "Survivor.given_name (encrypted)",
        attr="given_name",
        section="identity",
        aliases=("prs_First_Name",),
        note="Required on import: every case needs a name she uses.",
    ),
    F(
        "prs_SecondName",
        "Second Name",
        "Survivor.family_name (encrypted)",
        attr="family_name",
        section="identity",
        aliases=("prs_Second_Name",),
    ),
    F(
        "prs_Birthdate",
        "Birthdate",
        "Survivor.date_of_birth (encrypted)",
        "date",
        attr="date_of_birth",
        section="identity",
        note="Also gives the year of birth when aft_YearOfBirth is empty.",
    ),
    F(
        "prs_Gender",
        "Gender",
        "Survivor.gender; TransgenderFeminine and TransgenderMasculine held (HtcdsDetails.gender)",
        "picklist",
        GENDER,
        attr="gender",
        note=(
            "Aftercare's gender has one code for transgender and non-binary "
            "people (NonConforming); the standard's two transgender values are "
            "held as given and written back while her gender stays that code."
        ),
    ),
    F(
        "prs_Nationality",
        "Citizenship",
        "Survivor.nationality (ISO 3166 alpha-2)",
        "country",
        attr="nationality",
        aliases=("prs_Citizenship",),
        note="A code or an English country name is read.",
    ),
    F(
        "prs_Deceased",
        "Deceased",
        "Survivor.closure_reason = deceased",
        "bool",
        CONSENT,
        note="TRUE only on a case closed with the reason Deceased.",
    ),
    F(
        "prs_MobilePhone",
        "Mobile Phone",
        "Survivor.phone (encrypted)",
        attr="phone",
        section="identity",
    ),
    F(
        "prs_MailingStreet",
        "Mailing Street",
        "Survivor.address (encrypted)",
        section="identity",
        note=(
            "Aftercare keeps the address as one text; on import the "
            "city, state, postal code and country are joined to it."
        ),
    ),
    F("prs_MailingCity", "Mailing City", "Survivor.address (joined)", direction="import"),
    F(
        "prs_MailingState",
        "Mailing State/Province",
        "Survivor.address (joined)",
        direction="import",
    ),
    F(
        "prs_MailingPostalCode",
        "Mailing Zip/Postal Code",
        "Survivor.address (joined)",
        direction="import",
    ),
    F("prs_MailingCountry", "Mailing Country", "Survivor.address (joined)", direction="import"),
    F(
        "vic_TypeOfExploitation",
        "Type of Exploitation",
        "Survivor.exploitation_types",
        "multi",
        EXPLOITATION,
        attr="exploitation_types",
    ),
    F(
        "vic_ForcedLabourIndustry",
        "Forced Labour Industry",
        "HtcdsDetails.forced_labour_industries (ISIC sections)",
        "multi",
        FORCED_LABOUR_INDUSTRY,
        held="forced_labour_industries",
        note="Held as the standard writes it; CTDC reports it too.",
    ),
    F(
        "vic_TypeOfSexExploitation",
        "Type of Sex Exploitation",
        "HtcdsDetails.sex_exploitation_types",
        "multi",
        SEX_EXPLOITATION,
        held="sex_exploitation_types",
        aliases=("vic_TypeOfSexualExploitation",),
        note="Held as the standard writes it; CTDC reports it too.",
    ),
    F(
        "vic_MethodsOfControl",
        "Methods of Control",
        "Survivor.means_of_control",
        "multi",
        METHODS_OF_CONTROL,
        attr="means_of_control",
        aliases=("vic_Methods_of_Control",),
    ),
    F(
        "vic_LocationOfExploitation",
        "Location of Exploitation",
        "Survivor.country_of_exploitation",
        "country",
        note=(
            "A country (code or English name); any other place "
            "is kept as the town of an exploitation event."
        ),
    ),
    F(
        "vic_LocationOfRecruitment",
        "Location of Recruitment",
        "TraffickingEvent (recruitment): town, else country",
        section="identity",
        note="Read into a recruitment event when the row has none in the events sheet.",
    ),
    F(
        "cas_Status",
        "Status",
        "Survivor.status",
        "picklist",
        CASE_STATUS,
        note="ClosedReferred reads as closed with the reason Transferred.",
    ),
    F(
        "cas_ReasonForCaseClosure",
        "Reason for Case Closure",
        "Survivor.closure_reason; words held (HtcdsDetails.closure_reason_text)",
        "picklist",
        CLOSURE_REASON,
        note=(
            "The standard leaves it free text: Aftercare's own reasons (code "
            "or English label) are read as they are; any other words close "
            "the case with the reason Other and are held and written back."
        ),
    ),
    F(
        "cas_ReferringOrganisation",
        "Referring Organisation",
        "Referral.from_organisation (the referral that brought "
        "the case), else HtcdsDetails.referring_organisation",
        section="history",
        held="referring_organisation",
        note=(
            "Referrals are made, accepted and closed inside Aftercare; "
            "an imported referral is held as the sender described it and "
            "written back when the case has no referral inside Aftercare."
        ),
    ),
    F(
        "cas_IncomingReferralDate",
        "Incoming Referral Date",
        "Referral.accepted_at, else HtcdsDetails.incoming_referral_date",
        "date",
        section="history",
        held="incoming_referral_date",
    ),
    F(
        "cas_ReasonForIncomingReferral",
        "Reason for Incoming Referral",
        "Referral (always for services), else "
        "HtcdsDetails.incoming_referral_reason (free text, as in the XLSForm)",
        section="history",
        held="incoming_referral_reason",
    ),
    F(
        "cas_IncomingReferralDetails",
        "Incoming Referral Details",
        "Referral.reason, else HtcdsDetails.incoming_referral_details (encrypted)",
        section="history",
        held="incoming_referral_details",
    ),
    F(
        "cas_ReferredOrganisation",
        "Referred Organisation",
        "Referral.to_organisation (the latest outgoing referral)",
        section="history",
        direction="export",
    ),
    F(
        "cas_OutgoingReferralDate",
        "Outgoing Referral Date",
        "Referral.created_at",
        "date",
        section="history",
        direction="export",
    ),
    F(
        "cas_ReasonForOutgoingReferral",
        "Reason for Outgoing Referral",
        "Referral (always for services)",
        "picklist",
        REFERRAL_REASON,
        section="history",
        direction="export",
    ),
    F(
        "cas_OutgoingReferralDetails",
        "Outgoing Referral Details",
        "Referral.reason",
        section="history",
        direction="export",
    ),
    F(
        "con_Consent",
        "Consent",
        "Consent (purpose service_delivery): her current decision",
        "bool",
        CONSENT,
        section="consent",
        aliases=("vic_AgreementToManagePersonalData",),
        note=(
            "FALSE is refused on import: Aftercare opens "
            "no case for someone who did not agree to it."
        ),
    ),
    F(
        "aft_CaseCode",
        "Aftercare case code",
        "Survivor.case_code",
        direction="export",
        note=(
            "Links the support-plan and event sheets to "
            "their case; an imported case gets a new code."
        ),
    ),
    F("aft_YearOfBirth", "Year of birth", "Survivor.year_of_birth", "year", attr="year_of_birth"),
    F(
        "aft_Status",
        "Aftercare status",
        "Survivor.status (exact)",
        "picklist",
        CASE_STATUS_EXACT,
        note="Tells intake from active, which HTCDS both calls Active.",
    ),
    F(
        "aft_ExploitationTypes",
        "Aftercare exploitation types",
        "Survivor.exploitation_types (exact)",
        "multi",
        EXPLOITATION_EXACT,
        note="Written when forced criminality shares HTCDS's Other with other.",
    ),
    F(
        "aft_IdentifiedBy",
        "Identified by",
        "Survivor.identified_by",
        "picklist",
        IDENTIFIED_BY,
        attr="identified_by",
    ),
    F(
        "aft_RecruiterRelation",
        "Relation to recruiter",
        "Survivor.recruiter_relation",
        "picklist",
        RECRUITER_RELATION,
        attr="recruiter_relation",
    ),
    F("aft_Languages", "Languages", "Survivor.languages (ISO 639)", "languages", attr="languages"),
    F("aft_Region", "Region", "Survivor.region (code)", attr="region"),
    F(
        "aft_IdNumber",
        "ID or passport number",
        "Survivor.id_number (encrypted)",
        attr="id_number",
        section="identity",
    ),
    F(
        "aft_GuardianName",
        "Guardian's name",
        "Survivor.guardian_name (encrypted)",
        attr="guardian_name",
        section="identity",
    ),
    F(
        "aft_GuardianPhone",
        "Guardian's phone",
        "Survivor.guardian_phone (encrypted)",
        attr="guardian_phone",
        section="identity",
    ),
    F(
        "aft_GuardianRelation",
        "Guardian's relation",
        "Survivor.guardian_relation",
        attr="guardian_relation",
        section="identity",
    ),
    F(
        "aft_ConsentReferral",
        "Consent to referral",
        "Consent (purpose referral)",
        "bool",
        CONSENT,
        section="consent",
    ),
    F(
        "aft_ConsentAnonymisedReporting",
        "Consent to anonymised reporting",
        "Consent (purpose anonymised_reporting)",
        "bool",
        CONSENT,
        section="consent",
    ),
    F(
        "aft_ConsentContact",
        "Consent to being contacted",
        "Consent (purpose contact)",
        "bool",
        CONSENT,
        section="consent",
    ),
)

SUPPORT_PLAN_FIELDS: tuple[Field, ...] = (
    F(
        "aft_CaseCode",
        "Aftercare case code",
        "Goal.survivor",
        note="The case row this objective belongs to.",
    ),
    F("spl_Type", "Type", "Goal.domain (a service domain)", "picklist", SUPPORT_PLAN_TYPE),
    F("spl_Objectives", "Objectives", "Goal.description (in her own words)"),
    F("spl_ActionPlan", "Action Plan", "Goal.actions"),
    F("spl_PlannedEndDate", "Planned End Date", "Goal.target_date", "date"),
    F(
        "aft_GoalStatus",
        "Goal status",
        "Goal.status",
        "picklist",
        GOAL_STATUS,
        note=(
            "Without it an objective reads as achieved when "
            "it has an actual end date, else not started."
        ),
    ),
)

EVENT_FIELDS: tuple[Field, ...] = (
    F(
        "aft_CaseCode",
        "Aftercare case code",
        "TraffickingEvent.survivor",
        note="The case row this event belongs to.",
    ),
    F("hte_Type", "Type", "TraffickingEvent.kind", "picklist", EVENT_TYPE),
    F("hte_Date", "Date", "TraffickingEvent.date", "date"),
    F("hte_Country", "Country", "TraffickingEvent.country", "country"),
    F("hte_City", "City", "TraffickingEvent.place"),
    F("hte_Description", "Description", "TraffickingEvent.description (encrypted)"),
)


@dataclass(frozen=True)
class NotHeld:
    name: str
    label: str
    why: str
    aliases: tuple[str, ...] = ()  # the standard's own other spellings, as in its template


N = NotHeld
NOT_HELD: tuple[NotHeld, ...] = (
    N(
        "org_ShippingStreet",
        "Shipping Street",
        "Held encrypted as a restricted contact: a shelter's "
        "address is a safety secret and never leaves Aftercare.",
    ),
    N(
        "org_ShippingCity",
        "Shipping City",
        "The directory places an organisation by region, not by mailing address.",
    ),
    N("org_ShippingState", "Shipping State/Province", "As above: regions, not addresses."),
    N("org_ShippingPostalCode", "Shipping Zip/Postal Code", "As above: regions, not addresses."),
    N(
        "org_ShippingLatitude",
        "Latitude",
        "No coordinates are kept of places that shelter survivors.",
    ),
    N(
        "org_ShippingLongitude",
        "Longitude",
        "No coordinates are kept of places that shelter survivors.",
    ),
    N("prs_Salutation", "Salutation", "Not asked: it says nothing her care needs."),
    N(
        "prs_Title",
        "Title",
        "A person's position in an organisation; a survivor's case has no use for it.",
    ),
    N(
        "prs_Email",
        "Email",
        "Not collected: e-mail is rarely safe for her; the phone is the one contact kept.",
    ),
    N(
        "prs_HomePhone",
        "Home Phone",
        "One phone is kept, the one she can safely be reached on (prs_MobilePhone).",
    ),
    N("prs_MailingLatitude", "Latitude", "No coordinates are kept of where a survivor lives."),
    N("prs_MailingLongitude", "Longitude", "No coordinates are kept of where a survivor lives."),
    N(
        "vic_TraffickingStatus",
        "Trafficking Status",
        "Aftercare does not record a formal determination: everyone "
        "with a case receives aftercare as a possible or actual victim.",
    ),
    N(
        "vic_TraffickingStatusDecisionMakingOrg",
        "Trafficking Status Decision Making Organization",
        "Follows from the status, which is not held. Who identified her is aft_IdentifiedBy.",
        aliases=("vic_TraffickinStatusDecisionMakingOrg",),
    ),
    N(
        "vic_MethodOfRecruitment",
        "Method of Recruitment",
        "Aftercare records who recruited her "
        "(aft_RecruiterRelation), not how; not asked at intake.",
    ),
    N(
        "vic_RecruitmentWebsitesAndApps",
        "Recruitment Websites and Apps",
        "Not asked at intake; investigative detail for the police file.",
    ),
    N(
        "vic_ExploitationWebsitesAndApps",
        "Exploitation Websites and Apps",
        "Not asked at intake; investigative detail for the police file.",
    ),
    N(
        "vic_Vulnerabilities",
        "Vulnerabilities",
        "Deprecated in HTCDS 2.0 for risk assessments, which "
        "Aftercare's re-trafficking risk instrument holds.",
    ),
    N(
        "vic_DetailsOfVulnerabilities",
        "Details Of Vulnerabilities",
        "Deprecated with vic_Vulnerabilities.",
    ),
    N(
        "per_RoleInProcess",
        "Role in Process",
        "Aftercare holds no records about perpetrators: "
        "it is a care record, not an investigation file.",
    ),
    N("per_RoleDetails", "Role Details", "As above: no perpetrator records."),
    N(
        "cas_CaseOwner",
        "Case Owner",
        "The case belongs to the importing organisation; its staff are assigned inside Aftercare.",
    ),
    N(
        "cas_ReferringPrimaryCaseWorker",
        "Referring Primary Case Worker",
        "Staff names are not case data; the directory says whom to call at each organisation.",
    ),
    N("cas_ReferredPrimaryCaseWorker", "Referred Primary Case Worker", "As above."),
    N(
        "cco_CommentBody",
        "Case Comment",
        "Held as case notes, encrypted and kept to the organisation "
        "that wrote them (clinical notes to clinicians): never exported.",
    ),
    N(
        "spl_ActualEndDate",
        "Actual End Date",
        "A goal's status is held, not the day it ended; read only "
        "to mark an objective without aft_GoalStatus as achieved.",
    ),
    N("hte_State", "State", "The town (hte_City) and country are kept, no finer."),
    N(
        "hte_Street",
        "Street",
        "An exact address belongs in the police file, not in the care record.",
    ),
    N("hte_PostalCode", "PostalCode", "As the street."),
    N("hte_Latitude", "Latitude", "As the street."),
    N("hte_Longitude", "Longitude", "As the street."),
)

# What the XLSForm and Kobo add around the answers: read past without a word.
FORM_META = frozenset(
    norm(name)
    for name in (
        "start",
        "end",
        "today",
        "deviceid",
        "__version__",
        "instanceID",
        "_id",
        "_uuid",
        "_index",
        "_submission_time",
        "_submitted_by",
        "_status",
        "_geolocation",
        "_attachments",
        "_notes",
        "_tags",
        "_validation_status",
        "_xform_id_string",
        "formhub/uuid",
        "meta/instanceID",
        "meta/rootUuid",
        "meta/deprecatedID",
        "instanceName",
    )
)

SHEETS = {
    "Cases": CASE_FIELDS,
    "SupportPlan": SUPPORT_PLAN_FIELDS,
    "TraffickingEvents": EVENT_FIELDS,
}


def known_names(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Every name a column may carry (field name, label, aliases), normalised, to its field."""
    table: dict[str, Field] = {}
    for item in fields:
        for name in item.names:
            table.setdefault(norm(name), item)
    return table


NOT_HELD_NAMES = {
    norm(name): item for item in NOT_HELD for name in (item.name, item.label, *item.aliases)
}
ALL_NAMES = frozenset(
    norm(name)
    for fields in SHEETS.values()
    for item in fields
    for name in (item.name, *item.aliases)
)
# Every label the standard gives a field, for telling its label row from a case.
LABELS = frozenset(norm(item.label) for fields in SHEETS.values() for item in fields) | frozenset(
    norm(item.label) for item in NOT_HELD
)
