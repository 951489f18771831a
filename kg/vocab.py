"""Names the project relies on: namespaces, artifact slugs and availability values.

The ontology in ``ontology/`` is the source of truth; ``tests/test_ontology.py`` checks that every
term used here is declared there, so a typo fails at once.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/ai-openness/"
ONTOLOGY_IRI = BASE + "ontology"
MODEL = Namespace(BASE + "model/")
LICENSE = Namespace(BASE + "license/")
ORG = Namespace(BASE + "org/")
FAMILY = Namespace(BASE + "family/")
GRAPH = Namespace(BASE + "graph/")
SPDX = Namespace("http://spdx.org/licenses/")
SCHEMA = Namespace("https://schema.org/")
HF = "https://huggingface.co/"
WIKIDATA = "http://www.wikidata.org/entity/"

#: Named graphs of a store: ontology terms, records as given, and what the reasoner adds.
ONTOLOGY_GRAPH = GRAPH["ontology"]
RECORDS_GRAPH = GRAPH["records"]
INFERRED_GRAPH = GRAPH["inferred"]
#: Organisations and model families (kg/data/orgs, kg/data/families), reference data like the ontology.
ENTITIES_GRAPH = GRAPH["entities"]


class AIO(DefinedNamespace):
    """The AI Openness ontology's terms (``aio:``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    AIModel: URIRef
    ArtifactRelease: URIRef
    ArtifactKind: URIRef
    Availability: URIRef
    AvailableStatus: URIRef
    Availabilities: URIRef
    License: URIRef
    OpenLicense: URIRef
    OpenCodeLicense: URIRef
    OpenDataLicense: URIRef
    OpenDocumentLicense: URIRef
    ClosedSourceModel: URIRef
    OpenWeightModel: URIRef
    OpenSourceModel: URIRef
    MOFClassIII: URIRef
    MOFClassII: URIRef
    MOFClassI: URIRef
    DimensionValue: URIRef
    # entities beside models (ontology/entities.ttl)
    Organisation: URIRef
    OrganisationKind: URIRef
    OrganisationKinds: URIRef
    ModelFamily: URIRef
    Modality: URIRef
    Modalities: URIRef
    Derivation: URIRef
    DerivationKind: URIRef
    DerivationKinds: URIRef
    ClaimState: URIRef
    Company: URIRef
    Academic: URIRef
    NonProfit: URIRef
    Government: URIRef
    Collaboration: URIRef
    TextModality: URIRef
    VisionLanguageModality: URIRef
    ImageModality: URIRef
    VideoModality: URIRef
    AudioModality: URIRef
    CodeModality: URIRef
    EmbeddingModality: URIRef
    SafetyModality: URIRef
    FineTune: URIRef
    Adapter: URIRef
    Quantisation: URIRef
    Merge: URIRef
    Distillation: URIRef
    ContinuedPretraining: URIRef
    organisationKind: URIRef
    country: URIRef
    developedBy: URIRef
    inFamily: URIRef
    modality: URIRef
    totalParameters: URIRef
    activeParameters: URIRef
    weightsReleased: URIRef
    derivation: URIRef
    baseModel: URIRef
    derivationKind: URIRef
    hasState: URIRef
    validFrom: URIRef
    stateAvailability: URIRef
    # properties
    hasRelease: URIRef
    artifact: URIRef
    availability: URIRef
    developer: URIRef
    asOf: URIRef
    handChecked: URIRef
    fromDataset: URIRef
    decidingRelease: URIRef
    slug: URIRef
    explanation: URIRef
    opennessDimension: URIRef
    valueOf: URIRef
    # artifact kinds
    API: URIRef
    Architecture: URIRef
    Weights: URIRef
    TechnicalReport: URIRef
    EvaluationResults: URIRef
    ModelCard: URIRef
    DataCard: URIRef
    SampleOutputs: URIRef
    TrainingCode: URIRef
    InferenceCode: URIRef
    EvaluationCode: URIRef
    EvaluationData: URIRef
    SupportingLibraries: URIRef
    TrainingData: URIRef
    PreprocessingCode: URIRef
    IntermediateWeights: URIRef
    ResearchPaper: URIRef
    ModelMetadata: URIRef
    # licence terms (ontology/license-terms.ttl), where ODRL has no term
    LicenseFamily: URIRef
    BehaviouralUseRestriction: URIRef
    TermsKnownLicense: URIRef
    LicensorReservation: URIRef
    reservation: URIRef
    reservedRight: URIRef
    monthlyActiveUsers: URIRef
    dailyActiveUsers: URIRef
    annualRevenue: URIRef
    licenseeDomicile: URIRef
    modelModality: URIRef
    trainOtherModels: URIRef
    nameDerivative: URIRef
    clause: URIRef
    scancodeKey: URIRef
    osiApproved: URIRef
    termsNote: URIRef
    CCAttributionTerms: URIRef
    CCCommercialTerms: URIRef
    CCNoDerivativesTerms: URIRef
    CCNonCommercialTerms: URIRef
    CCShareAlikeTerms: URIRef
    ChangeTerms: URIRef
    HostingUse: URIRef
    Multimodal: URIRef
    NonCommercialResearch: URIRef
    NonCommercialUse: URIRef
    PermissiveTerms: URIRef
    ProductionUse: URIRef
    PublicDomainTerms: URIRef
    RestrictRemotely: URIRef
    StrongCopyleftTerms: URIRef
    Terminate: URIRef
    WeakCopyleftTerms: URIRef
    # the per-model assessment (ontology/assessment.ttl)
    AssessmentLevel: URIRef
    Level: URIRef
    AssessmentLevels: URIRef
    FullLevel: URIRef
    PartialLevel: URIRef
    LimitedLevel: URIRef
    NoLevel: URIRef
    rank: URIRef
    assessedDimension: URIRef
    assessedLevel: URIRef
    CommercialUsePermittedLicense: URIRef
    UnrestrictedUseLicense: URIRef
    DerivativesPermittedLicense: URIRef
    ArtifactAccessFull: URIRef
    ArtifactAccessPartial: URIRef
    ArtifactAccessLimited: URIRef
    AuditabilityFull: URIRef
    AuditabilityPartial: URIRef
    AuditabilityLimited: URIRef
    ReproducibilityFull: URIRef
    ReproducibilityPartial: URIRef
    ReproducibilityLimited: URIRef
    FineTuningFull: URIRef
    FineTuningPartial: URIRef
    FineTuningLimited: URIRef
    DeploymentControlFull: URIRef
    DeploymentControlPartial: URIRef
    DeploymentControlLimited: URIRef
    RiskSurfaceFull: URIRef
    RiskSurfacePartial: URIRef
    RiskSurfaceLimited: URIRef
    InnovationFull: URIRef
    InnovationPartial: URIRef
    InnovationLimited: URIRef
    LockInFull: URIRef
    LockInPartial: URIRef
    LockInLimited: URIRef
    GovernanceFull: URIRef
    GovernancePartial: URIRef
    GovernanceLimited: URIRef
    KnowledgeDiffusionFull: URIRef
    KnowledgeDiffusionPartial: URIRef
    KnowledgeDiffusionLimited: URIRef
    # availability values
    Public: URIRef
    Gated: URIRef
    NotReleased: URIRef
    Unknown: URIRef
    # the ten dimensions
    artifactAccess: URIRef
    auditability: URIRef
    reproducibility: URIRef
    fineTuning: URIRef
    deploymentControl: URIRef
    riskSurface: URIRef
    innovationVelocity: URIRef
    vendorLockIn: URIRef
    governance: URIRef
    knowledgeDiffusion: URIRef
    # dimension values (closed-source, open-weight, open-source), dimension by dimension
    APIEndpointOnly: URIRef
    TrainedWeightsAccess: URIRef
    FullArtifactAccess: URIRef
    NotIndependentlyAuditable: URIRef
    PostHocBehaviouralAnalysis: URIRef
    FullStackAudit: URIRef
    NotReproducible: URIRef
    InferenceReproducible: URIRef
    EndToEndReproducible: URIRef
    VendorControlledAdaptation: URIRef
    ParameterEfficientFineTuning: URIRef
    FullRetraining: URIRef
    ProviderInfrastructureOnly: URIRef
    OnPremDeployment: URIRef
    MaximumSovereignty: URIRef
    CentralisedHiddenRisk: URIRef
    WiderAccessHiddenTraining: URIRef
    FullSystemExposed: URIRef
    InternalInnovation: URIRef
    AppliedDownstreamInnovation: URIRef
    FoundationalInnovation: URIRef
    StrongLockIn: URIRef
    DeploymentOnlyLockIn: URIRef
    MinimalLockIn: URIRef
    TrustBasedGovernance: URIRef
    TechnicalComplianceValidation: URIRef
    PolicyAlignedEngineering: URIRef
    ConcentratedKnowledge: URIRef
    CapabilityDistributed: URIRef
    InstitutionalKnowledgeDiffused: URIRef


#: Artifact slug -> individual, in docs/design.md section 2 order.
ARTIFACTS: dict[str, URIRef] = {
    "api": AIO.API,
    "architecture": AIO.Architecture,
    "weights": AIO.Weights,
    "technical_report": AIO.TechnicalReport,
    "evaluation_results": AIO.EvaluationResults,
    "model_card": AIO.ModelCard,
    "data_card": AIO.DataCard,
    "sample_outputs": AIO.SampleOutputs,
    "training_code": AIO.TrainingCode,
    "inference_code": AIO.InferenceCode,
    "evaluation_code": AIO.EvaluationCode,
    "evaluation_data": AIO.EvaluationData,
    "supporting_libraries": AIO.SupportingLibraries,
    "training_data": AIO.TrainingData,
    "preprocessing_code": AIO.PreprocessingCode,
    "intermediate_weights": AIO.IntermediateWeights,
    "research_paper": AIO.ResearchPaper,
    "model_metadata": AIO.ModelMetadata,
}
ARTIFACT_SLUGS: dict[URIRef, str] = {iri: slug for slug, iri in ARTIFACTS.items()}

#: Availability value -> individual.
AVAILABILITY: dict[str, URIRef] = {
    "public": AIO.Public,
    "gated": AIO.Gated,
    "not-released": AIO.NotReleased,
    "unknown": AIO.Unknown,
}
AVAILABILITY_VALUES: dict[URIRef, str] = {iri: v for v, iri in AVAILABILITY.items()}

#: Modality slug -> individual (docs/design.md section 7).
MODALITIES: dict[str, URIRef] = {
    "text": AIO.TextModality,
    "vision-language": AIO.VisionLanguageModality,
    "image": AIO.ImageModality,
    "video": AIO.VideoModality,
    "audio": AIO.AudioModality,
    "code": AIO.CodeModality,
    "embedding": AIO.EmbeddingModality,
    "safety": AIO.SafetyModality,
}
MODALITY_SLUGS: dict[URIRef, str] = {iri: slug for slug, iri in MODALITIES.items()}

#: Derivation kind slug -> individual.
DERIVATION_KINDS: dict[str, URIRef] = {
    "fine-tune": AIO.FineTune,
    "adapter": AIO.Adapter,
    "quantisation": AIO.Quantisation,
    "merge": AIO.Merge,
    "distillation": AIO.Distillation,
    "continued-pretraining": AIO.ContinuedPretraining,
}
DERIVATION_KIND_SLUGS: dict[URIRef, str] = {iri: slug for slug, iri in DERIVATION_KINDS.items()}

#: Organisation kind slug -> individual.
ORGANISATION_KINDS: dict[str, URIRef] = {
    "company": AIO.Company,
    "academic": AIO.Academic,
    "non-profit": AIO.NonProfit,
    "government": AIO.Government,
    "collaboration": AIO.Collaboration,
}
ORGANISATION_KIND_SLUGS: dict[URIRef, str] = {iri: slug for slug, iri in ORGANISATION_KINDS.items()}

#: The ten dimension properties, in the seed's order.
DIMENSIONS: tuple[URIRef, ...] = (
    AIO.artifactAccess,
    AIO.auditability,
    AIO.reproducibility,
    AIO.fineTuning,
    AIO.deploymentControl,
    AIO.riskSurface,
    AIO.innovationVelocity,
    AIO.vendorLockIn,
    AIO.governance,
    AIO.knowledgeDiffusion,
)

#: Category class -> the slug used in CLI output.
CATEGORIES: dict[URIRef, str] = {
    AIO.ClosedSourceModel: "closed-source",
    AIO.OpenWeightModel: "open-weight",
    AIO.OpenSourceModel: "open-source",
}
MOF_CLASSES: dict[URIRef, str] = {AIO.MOFClassI: "I", AIO.MOFClassII: "II", AIO.MOFClassIII: "III"}


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[cut + 1 :]
