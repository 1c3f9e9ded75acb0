"""Every ``SS_*`` setting in one typed registry: its type, default and meaning.

``environment_problems(env)`` checks every key that is set against its declared type (msgspec
conversion with bounds) and returns one line per bad key, so start-up reports all of them
at once (``load_settings`` raises one ``CONFIG_INVALID`` naming each; the command line prints
them without a traceback). The adapters' settings structs are then built from values known to
be well typed. ``docs/configuration.md`` is generated from this registry (``ssctl docs
generate``), so the documentation and the loader cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args, get_origin

import msgspec

POSITIVE_INT: Any = Annotated[int, msgspec.Meta(gt=0)]
COUNT: Any = Annotated[int, msgspec.Meta(ge=0)]
POSITIVE_NUMBER: Any = Annotated[float, msgspec.Meta(gt=0)]
NUMBER: Any = Annotated[float, msgspec.Meta(ge=0)]
TEXT: Any = str
FLAG: Any = Literal["1", "0", "true", "false", "yes", "no", "on", "off"]


def choice(*options: str) -> Any:
    return Literal[options]  # type: ignore[valid-type]


class Key(msgspec.Struct, frozen=True):
    name: str
    kind: Any
    default: str
    meaning: str


class Section(msgspec.Struct, frozen=True):
    title: str
    before: str
    after: str
    keys: tuple[Key, ...]


SECTIONS = (
    Section(
        "Service",
        "",
        "Numbers must be positive; a bad value is reported by key.",
        (
            Key(
                "SS_DATA_DIR",
                TEXT,
                "`./ss-data` (resolved to an absolute path)",
                "Home of the embedded defaults: the SQLite file, the local object store and the Stata run directories unless configured otherwise. Created at start-up.",
            ),
            Key(
                "SS_HOST",
                TEXT,
                "`127.0.0.1`",
                "Address `ssctl serve` binds (overridable with `--host`).",
            ),
            Key(
                "SS_PORT",
                POSITIVE_INT,
                "`8000`",
                "Port `ssctl serve` binds (overridable with `--port`). Positive whole number.",
            ),
            Key(
                "SS_ADMIN_TOKEN",
                TEXT,
                "unset",
                "Bearer token for `/api/admin/**`. At least 16 characters. Required for production (readiness requirement `admin_secret`).",
            ),
            Key(
                "SS_TEMPLATE_LIBRARY",
                TEXT,
                "the library shipped in the package (`ss_assets/stata_do_library`)",
                "Root of the template library (index, meta schema, one directory per template). Validated at start-up; problems make readiness fail (`TEMPLATE_LIBRARY_INVALID`).",
            ),
            Key(
                "SS_MAX_UPLOAD_BYTES",
                POSITIVE_INT,
                "`2147483648` (2 GiB)",
                "Largest upload request body (all files and form fields together), enforced while the body streams in; more is `413`. One request carries at most 8 files and 16 small form fields (`role`, `filename`).",
            ),
            Key(
                "SS_MAX_DATASET_CELLS",
                POSITIVE_INT,
                "`500000000`",
                "Most cells (rows x columns) one dataset may have, checked against a file's declared sizes before reading and counted while reading; more is `400 INPUT_PARSE_FAILED`. See `docs/security.md`.",
            ),
            Key(
                "SS_XLSX_MAX_SHARED_STRINGS",
                POSITIVE_INT,
                "`1000000`",
                "Most distinct text cells (shared strings) an `.xlsx` workbook may hold; counted by a streaming scan before the workbook is opened.",
            ),
            Key(
                "SS_MAX_CONNECTIONS",
                POSITIVE_INT,
                "`512`",
                "Concurrent connections one API process serves; beyond it requests get `503`. The descriptor soft limit is raised to the hard limit at start.",
            ),
            Key(
                "SS_HEADER_TIMEOUT_SECONDS",
                POSITIVE_NUMBER,
                "`10`",
                "A connection must complete a request's headers within this time of opening (or of its previous answer), else it is closed (slow-client defence).",
            ),
            Key(
                "SS_BODY_IDLE_TIMEOUT_SECONDS",
                POSITIVE_NUMBER,
                "`60`",
                "An upload whose client sends nothing for this long ends with `408 REQUEST_TIMEOUT` and its spool is removed.",
            ),
            Key(
                "SS_UPLOAD_INSPECT_INLINE_BYTES",
                COUNT,
                "`1048576`",
                "An upload whose primary dataset is at most this many bytes is answered after its whole-file inspection (`200` with its manifest, or its error); a larger one is answered `202` (`status: pending`) as soon as its files are stored, the inspection going on while the preview, the sheet choice and the draft wait for it. `0`: every upload is answered once stored.",
            ),
            Key(
                "SS_INPUTS_WAIT_SECONDS",
                POSITIVE_NUMBER,
                "`30`",
                "How long the inputs preview, the sheet choice and the draft preview wait for an upload's inspection in progress before answering `202` with `Retry-After`.",
            ),
            Key(
                "SS_KEEP_ALIVE_SECONDS",
                POSITIVE_NUMBER,
                "`5`",
                "Idle keep-alive connections close after this long.",
            ),
            Key(
                "SS_TOKEN_TTL_HOURS",
                POSITIVE_NUMBER,
                "`72`",
                "Lifetime of a job bearer token issued by redeem.",
            ),
            Key(
                "SS_LEASE_SECONDS",
                POSITIVE_NUMBER,
                "`60`",
                "Run lease length; a worker renews it every third of the lease while Stata runs. A run whose worker died is reclaimed after the lease expires.",
            ),
            Key(
                "SS_MAX_CLAIMS",
                POSITIVE_INT,
                "`3`",
                "How many times one run may be claimed (worker deaths) before it fails.",
            ),
            Key(
                "SS_WORKER_POLL_SECONDS",
                POSITIVE_NUMBER,
                "`1`",
                "How often an idle worker looks for queued runs.",
            ),
            Key(
                "SS_WORKER_METRICS_PORT",
                POSITIVE_INT,
                "unset",
                "`ssctl worker` only: serve this worker's Prometheus metrics (runs, Stata, LLM) on `SS_HOST`:port.",
            ),
            Key(
                "SS_WORKER_HEARTBEAT_SECONDS",
                POSITIVE_NUMBER,
                "`60`",
                "A running worker records a heartbeat every quarter of this. Readiness of a worker process fails when its own heartbeat is older; an API-only host (`serve --no-worker`) warns when no worker anywhere beat within it.",
            ),
            Key(
                "SS_REDEEM_RATE_PER_MINUTE",
                POSITIVE_INT,
                "`20`",
                "Failed task-code redemptions per minute, per client address and per code prefix (token buckets, refilled continuously, per API process). An address over its budget still redeems a valid code (many people share one address); an invalid one answers `429 RATE_LIMITED` with `Retry-After`. A code prefix over its budget is refused from every address.",
            ),
            Key(
                "SS_TRUSTED_PROXIES",
                TEXT,
                "unset",
                "Comma-separated addresses of reverse proxies whose `X-Forwarded-For`/`X-Forwarded-Proto` are believed for the client address. Unset: forwarded headers are ignored and the peer address is the client.",
            ),
            Key(
                "SS_CORS_ORIGINS",
                TEXT,
                "unset",
                "Comma-separated origins allowed by CORS (the web client's origin). Unset: no CORS headers.",
            ),
            Key(
                "SS_AUTO_MIGRATE",
                FLAG,
                "`1`",
                "Bring the database schema up to date at start-up. Set `0` where only `ssctl migrate` may change the schema (scale-out).",
            ),
            Key(
                "SS_LOG_FORMAT",
                choice("json", "console"),
                "`json`",
                "Log format on stderr: one JSON object a line, or aligned key=value for a terminal.",
            ),
            Key(
                "SS_LOG_LEVEL",
                choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
                "`INFO`",
                "Lowest level logged (case-insensitive).",
            ),
        ),
    ),
    Section(
        "Database (`ss_adapters/sql/settings.py`)",
        "",
        "See `docs/storage.md` for queue and lease semantics and migrations.",
        (
            Key(
                "SS_DATABASE_URL",
                TEXT,
                "`sqlite:///<SS_DATA_DIR>/ss.db`",
                "Jobs, runs, queue, task codes, tokens (hashed), artifact index, audit log. `sqlite:///abs/path.db` (WAL mode) for one machine; `postgresql://user:password@host:5432/ss` for scale-out. The URL is checked at start-up; its password never appears in logs or readiness output.",
            ),
            Key(
                "SS_DATABASE_POOL_SIZE", POSITIVE_INT, "`5`", "PostgreSQL connections per process."
            ),
            Key(
                "SS_DATABASE_CONNECT_TIMEOUT",
                POSITIVE_NUMBER,
                "`10`",
                "Seconds to wait for a connection before `STORAGE_UNAVAILABLE`.",
            ),
        ),
    ),
    Section(
        "Object store (`ss_adapters/blob/settings.py`)",
        "",
        "",
        (
            Key(
                "SS_OBJECT_STORE",
                TEXT,
                "`<SS_DATA_DIR>/objects` (local directory)",
                "Where datasets, LLM traces, plans, do-files, logs and outputs are kept. `file:///absolute/dir` or `s3://bucket[/prefix]`.",
            ),
            Key("SS_S3_REGION", TEXT, "-", "Required for `s3://`."),
            Key("SS_S3_ACCESS_KEY_ID", TEXT, "-", "Required for `s3://`."),
            Key("SS_S3_SECRET_ACCESS_KEY", TEXT, "-", "Required for `s3://`. Never logged."),
            Key(
                "SS_S3_ENDPOINT_URL",
                TEXT,
                "the region's public endpoint",
                "`http(s)://` URL of an S3-compatible server (MinIO, Ceph RGW, a cloud vendor's S3 API).",
            ),
        ),
    ),
    Section(
        "LLM (`ss_adapters/llm/settings.py`)",
        "The LLM is configured when `SS_LLM_PROVIDER` and `SS_LLM_MODEL` are set. With neither, the\nservice starts, readiness reports `LLM_NOT_CONFIGURED`, and the draft endpoint answers 503 with\nthat code. Setting only one of them, or any invalid value, is `CONFIG_INVALID`.",
        "",
        (
            Key(
                "SS_LLM_PROVIDER",
                TEXT,
                "unset",
                "One of `openai`, `openai_compatible`, `anthropic`, `deepseek`, `dashscope`, `ollama`, `vllm`, `llamacpp`. Each maps to a wire format (OpenAI chat completions or Anthropic Messages) and, for some, a standard base URL.",
            ),
            Key(
                "SS_LLM_MODEL",
                TEXT,
                "unset",
                "Model name sent to the provider; recorded in every draft, selection and trace.",
            ),
            Key(
                "SS_LLM_BASE_URL",
                TEXT,
                "the provider's standard URL (`openai`, `anthropic`, `deepseek`, `dashscope`, `ollama` at `http://127.0.0.1:11434/v1`)",
                "Required for `openai_compatible`, `vllm`, `llamacpp`. Must be `http://` or `https://`.",
            ),
            Key(
                "SS_LLM_API_KEY",
                TEXT,
                "unset",
                "Required for `openai`, `anthropic`, `deepseek`, `dashscope`; optional for self-hosted servers. Redacted from traces and never printed.",
            ),
            Key(
                "SS_LLM_JSON_MODE",
                choice("json_schema", "json_object", "none"),
                "`json_schema` (`json_object` for `deepseek`, `dashscope`, `llamacpp`)",
                "How structured output is requested: `json_schema`, `json_object` or `none` (prompt only). Answers are always validated against the JSON Schema.",
            ),
            Key(
                "SS_LLM_JSON_STRICT",
                FLAG,
                "`true`",
                "Ask for strict schema adherence where the wire format supports it.",
            ),
            Key("SS_LLM_TIMEOUT", POSITIVE_NUMBER, "`60`", "Seconds for one call."),
            Key("SS_LLM_CONNECT_TIMEOUT", POSITIVE_NUMBER, "`10`", "Seconds to connect."),
            Key(
                "SS_LLM_MAX_RETRIES",
                COUNT,
                "`3`",
                "Retries on 429/5xx/transport errors, with exponential backoff.",
            ),
            Key(
                "SS_LLM_MAX_REPAIRS",
                COUNT,
                "`2`",
                "Re-asks with the validation error when an answer does not match the schema.",
            ),
            Key("SS_LLM_MAX_CONCURRENT", POSITIVE_INT, "`4`", "Concurrent calls per process."),
            Key("SS_LLM_BACKOFF_BASE", NUMBER, "`0.5`", "First backoff delay (seconds)."),
            Key("SS_LLM_BACKOFF_MAX", NUMBER, "`20`", "Largest backoff delay (seconds)."),
            Key(
                "SS_LLM_RETRY_AFTER_MAX",
                NUMBER,
                "`60`",
                "Longest `Retry-After` the adapter will honour (seconds).",
            ),
            Key(
                "SS_LLM_MAX_RESPONSE_BYTES",
                POSITIVE_INT,
                "`4194304` (4 MiB)",
                "Largest LLM answer read; a larger one is refused while it streams in (`LLM_CALL_FAILED`, not retried).",
            ),
            Key(
                "SS_LLM_ANTHROPIC_VERSION",
                TEXT,
                "`2023-06-01`",
                "`anthropic-version` header for the Messages API.",
            ),
        ),
    ),
    Section(
        "Stata (`ss_adapters/stata/settings.py`)",
        "Stata is configured when `SS_STATA_CMD` is set; otherwise readiness reports\n`STATA_NOT_CONFIGURED` and `POST /run` answers 503 with that code. `docs/stata-runner.md`\ndescribes how a run happens.",
        "",
        (
            Key(
                "SS_STATA_CMD",
                TEXT,
                "unset",
                "The batch executable, e.g. `/usr/local/stata18/stata-mp`. Started without a shell.",
            ),
            Key(
                "SS_STATA_WORK_DIR",
                TEXT,
                "`<SS_DATA_DIR>/stata-runs`",
                "Parent of the per-run directories (`runs/<run_id>-c<claim>`). Local disk, not a network share.",
            ),
            Key(
                "SS_STATA_CLI_STYLE",
                choice("unix", "windows"),
                "`unix`",
                "`unix` (`-b -q do wrapper.do`) or `windows` (`/e do wrapper.do`).",
            ),
            Key(
                "SS_STATA_MAX_CONCURRENT",
                POSITIVE_INT,
                "`1`",
                "Concurrent Stata processes per runner (per worker process): set to the licence seats this host may use.",
            ),
            Key(
                "SS_STATA_TIMEOUT_SECONDS",
                POSITIVE_NUMBER,
                "`1800`",
                "Wall-clock limit of a `standard` template; the whole process group is killed on expiry.",
            ),
            Key(
                "SS_STATA_TIMEOUT_MULTIPLIERS",
                TEXT,
                "`short=0.25,standard=1,long=4`",
                "Per template `timeout_class` multipliers of the limit (`name=factor,...`).",
            ),
            Key(
                "SS_STATA_ADO_DIR",
                TEXT,
                "unset",
                "Directory with the SSC/net packages the templates declare; the wrapper points Stata's `PLUS` path at it and the preflight looks there. No quotes, `$`, `;` or newlines.",
            ),
            Key(
                "SS_STATA_KEEP_RUN_DIRS",
                FLAG,
                "`0`",
                "Keep run directories after the run (debugging only).",
            ),
            Key(
                "SS_STATA_KILL_GRACE_SECONDS",
                POSITIVE_NUMBER,
                "`3`",
                "Between SIGTERM and SIGKILL of the process group.",
            ),
            Key(
                "SS_STATA_PATH",
                TEXT,
                "`/usr/local/bin:/usr/bin:/bin`",
                "`PATH` inside Stata's sanitised environment.",
            ),
            Key(
                "SS_STATA_ENV_PASSTHROUGH",
                TEXT,
                "unset",
                "Comma-separated names of extra environment variables passed to Stata (e.g. the licence server variable). Nothing else from the service's environment reaches Stata.",
            ),
        ),
    ),
)

INTRO = """# Configuration

<!-- generated from ss_adapters/config_keys.py by `ssctl docs generate`; do not edit -->

SS reads its configuration once, from environment variables, at start-up. Every key below is
declared with its type in `ss_adapters/config_keys.py`; a set value that does not fit its type
stops the process with `CONFIG_INVALID`, and every bad key is named at once (the command line
prints one line per key, never a traceback). The adapters' settings are then built from the
checked values (`ss_adapters/settings.py` and each adapter's `from_env`, which add the rules
that span several keys). An empty value means the default. An integration that is simply not
configured (no LLM, no Stata) keeps its structured reason so `/health/ready`, `ssctl check`
and the affected endpoints say exactly what is missing (`LLM_NOT_CONFIGURED`,
`STATA_NOT_CONFIGURED`), never a silent fallback.

`ssctl check` prints every production requirement and exits 0 only when all hold."""

OUTRO = "## A production environment file\n\n```\nSS_DATA_DIR=/var/lib/ss\nSS_ADMIN_TOKEN=<at least 16 random characters>\nSS_DATABASE_URL=sqlite:////var/lib/ss/ss.db\nSS_OBJECT_STORE=file:///var/lib/ss/objects\nSS_LLM_PROVIDER=openai_compatible\nSS_LLM_BASE_URL=http://llm.internal:8080/v1\nSS_LLM_MODEL=<model name>\nSS_STATA_CMD=/usr/local/stata18/stata-mp\nSS_STATA_ADO_DIR=/opt/ss/ado\nSS_STATA_MAX_CONCURRENT=2\nSS_CORS_ORIGINS=https://ss.example.internal\n```\n\nKeep secrets (`SS_ADMIN_TOKEN`, `SS_LLM_API_KEY`, `SS_S3_SECRET_ACCESS_KEY`, the database\npassword) in the service manager's secret store or an environment file readable only by the\nservice account."

KEYS: dict[str, Key] = {key.name: key for section in SECTIONS for key in section.keys}
CASE_INSENSITIVE = frozenset({"SS_LOG_FORMAT", "SS_LOG_LEVEL", "SS_STATA_CLI_STYLE",
                              "SS_LLM_JSON_MODE"})


def _typed(key: Key, raw: str) -> str | None:
    """The problem with ``raw`` for ``key``, or None when it converts."""
    value: Any = raw.strip()
    if key.kind is FLAG or key.name in CASE_INSENSITIVE:
        value = value.lower() if key.kind is FLAG or key.name != "SS_LOG_LEVEL" else value.upper()
    try:
        msgspec.convert(value, key.kind, strict=False)
    except msgspec.ValidationError:
        options = get_args(key.kind) if get_origin(key.kind) is Literal else ()
        reason = (f"must be one of {', '.join(options)}" if key.kind is not FLAG and options
                  else "must be a flag: 1/0, true/false, yes/no, on/off" if key.kind is FLAG
                  else f"must be a {_kind_text(key.kind)}")
        return f"{key.name}={raw.strip()!r}: {reason}"
    return None


def environment_problems(env: Mapping[str, str]) -> list[str]:
    """One line per set-but-invalid ``SS_*`` key (empty values mean "use the default")."""
    problems = []
    for name, key in KEYS.items():
        raw = env.get(name)
        if raw is not None and raw.strip():
            problem = _typed(key, raw)
            if problem is not None:
                problems.append(problem)
    return problems


def _kind_text(kind: Any) -> str:
    names = {
        POSITIVE_INT: "whole number > 0",
        COUNT: "whole number >= 0",
        POSITIVE_NUMBER: "number > 0",
        NUMBER: "number >= 0",
        TEXT: "text",
        FLAG: "flag (1/0, true/false, yes/no, on/off)",
    }
    for known, text in names.items():
        if kind is known:
            return text
    return " \\| ".join(f"`{o}`" for o in get_args(kind))


def configuration_markdown() -> str:
    out = [INTRO, ""]
    for section in SECTIONS:
        out += [f"## {section.title}", ""]
        if section.before:
            out += [section.before, ""]
        out += ["| key | type | default | meaning |", "|---|---|---|---|"]
        out += [
            f"| `{k.name}` | {_kind_text(k.kind)} | {k.default} | {k.meaning} |"
            for k in section.keys
        ]
        out.append("")
        if section.after:
            out += [section.after, ""]
    out += [OUTRO, ""]
    return "\n".join(out).rstrip("\n") + "\n"
