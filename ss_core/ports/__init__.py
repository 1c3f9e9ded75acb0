"""Ports: what the core needs from the outside world, as small ``typing.Protocol`` classes.

Adapters in ``ss_adapters`` implement them with real technology; test doubles under
``tests/doubles`` implement them for fast tests and pass the same contract tests.
"""

from ss_core.ports.clock import Clock, IdGenerator
from ss_core.ports.dataset_inspector import DatasetInspector
from ss_core.ports.llm import LLM, LLMTrace, StructuredAnswer, StructuredRequest
from ss_core.ports.object_store import ObjectStore, StoredObject
from ss_core.ports.repositories import (
    ArtifactRepository,
    AuditLog,
    JobRepository,
    RunQueue,
    TaskCodeRepository,
    TokenRepository,
)
from ss_core.ports.stata_runner import (
    PreflightResult,
    ProducedFile,
    StataInstallation,
    StataJob,
    StataRunner,
    StataRunResult,
)

__all__ = [
    "LLM", "ArtifactRepository", "AuditLog", "Clock", "DatasetInspector", "IdGenerator",
    "JobRepository", "LLMTrace", "ObjectStore", "PreflightResult", "ProducedFile", "RunQueue",
    "StataInstallation", "StataJob", "StataRunResult", "StataRunner", "StoredObject",
    "StructuredAnswer", "StructuredRequest", "TaskCodeRepository", "TokenRepository",
]
